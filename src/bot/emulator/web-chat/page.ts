/** The web chat page: one self-contained HTML document (inline CSS and script, no external assets). */
import { PAGE_SCRIPT } from './page-script.ts';
import { PAGE_STYLE } from './page-style.ts';

export function chatPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>ITA — local chat</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<div class="app">
  <header>
    <div class="avatar" id="avatar">I</div>
    <div><div class="title" id="bot-name">ITA</div><div class="status" id="status">connecting…</div></div>
  </header>
  <main id="log" aria-live="polite"></main>
  <div id="reply-kb"></div>
  <footer>
    <div id="menu" role="menu"></div>
    <button id="menu-btn" type="button" title="Commands" style="display:none">Menu</button>
    <button id="attach" type="button" title="Send a file" aria-label="Send a file"><svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M21 11.5l-8.6 8.6a5 5 0 0 1-7.1-7.1l8.6-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.4-2.4l7.9-7.9"/></svg></button>
    <input id="file" type="file" hidden>
    <textarea id="input" rows="1" placeholder="Message" autocomplete="off"></textarea>
    <button id="send" type="button" title="Send" aria-label="Send"><svg viewBox="0 0 24 24" width="26" height="26" fill="currentColor"><path d="M3 20.5l18-8.5L3 3.5v6.6l12.5 1.9L3 13.9z"/></svg></button>
  </footer>
</div>
<div id="toast" role="status"></div>
<script>${PAGE_SCRIPT}</script>
</body>
</html>`;
}
