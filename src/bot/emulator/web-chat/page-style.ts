/** The web chat's stylesheet: a Telegram-like phone chat, one column, at most 480 px wide. */
export const PAGE_STYLE = String.raw`
* { box-sizing: border-box; }
html, body { height: 100%; margin: 0; }
body {
  font: 16px/1.4 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  background: #c8d8a8; color: #111; display: flex; justify-content: center;
}
.app { width: 100%; max-width: 480px; height: 100%; display: flex; flex-direction: column;
  background: linear-gradient(160deg, #d5e4b5 0%, #b9d3a0 55%, #a9c8a6 100%); box-shadow: 0 0 24px rgba(0,0,0,.15); }
header { display: flex; align-items: center; gap: 12px; padding: 10px 14px; background: #517da2; color: #fff; flex: none; }
.avatar { width: 40px; height: 40px; border-radius: 50%; background: #f2a93b; display: grid; place-items: center;
  font-weight: 700; font-size: 18px; color: #fff; flex: none; }
.title { font-weight: 600; font-size: 17px; }
.status { font-size: 13px; opacity: .85; }
#log { flex: 1; overflow-y: auto; padding: 10px 10px 6px; display: flex; flex-direction: column; gap: 6px; }
.row { display: flex; flex-direction: column; max-width: 86%; }
.row.bot { align-self: flex-start; }
.row.user { align-self: flex-end; }
.bubble { border-radius: 14px; padding: 7px 10px 5px; background: #fff; box-shadow: 0 1px 1px rgba(0,0,0,.12);
  overflow-wrap: anywhere; white-space: pre-wrap; }
.row.user .bubble { background: #e1fec6; border-bottom-right-radius: 4px; }
.row.bot .bubble { border-bottom-left-radius: 4px; }
.bubble.has-photo { padding: 3px 3px 5px; }
.bubble.has-photo .text { padding: 4px 7px 0; }
.bubble img { display: block; max-width: 100%; border-radius: 11px; cursor: zoom-in; background: #eee; }
.meta { font-size: 11px; color: #7a8b74; text-align: right; margin-top: 2px; padding: 0 4px; }
.quote { border-left: 3px solid #517da2; padding: 1px 6px; margin-bottom: 4px; font-size: 13px; color: #3b6a8f;
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.doc { display: flex; align-items: center; gap: 10px; text-decoration: none; color: inherit; padding: 2px 0; }
.doc-icon { width: 40px; height: 40px; border-radius: 50%; background: #4fae4e; color: #fff; display: grid;
  place-items: center; font-size: 18px; flex: none; }
.doc-name { font-weight: 600; color: #2b5278; }
.doc-size { font-size: 13px; color: #6d7f6a; }
.keyboard { display: flex; flex-direction: column; gap: 4px; margin-top: 4px; }
.keyboard .kb-row { display: flex; gap: 4px; }
.keyboard button, .keyboard a { flex: 1; min-height: 38px; border: 0; border-radius: 10px; font: inherit; font-size: 15px;
  font-weight: 500; color: #fff; background: rgba(60, 90, 60, .42); cursor: pointer; padding: 6px 8px;
  text-align: center; text-decoration: none; }
.keyboard button:active { background: rgba(60, 90, 60, .6); }
.keyboard button:disabled { opacity: .55; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 14px; background: rgba(0,0,0,.06); border-radius: 4px; padding: 0 3px; }
pre { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 13px; background: rgba(0,0,0,.06); border-radius: 6px;
  padding: 6px 8px; margin: 4px 0; overflow-x: auto; white-space: pre; }
pre code { background: none; padding: 0; }
blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #517da2; }
.tg-spoiler { background: #999; color: transparent; border-radius: 3px; cursor: pointer; }
.tg-spoiler.shown { background: none; color: inherit; }
a { color: #2a6fb0; }
#reply-kb { display: none; flex-direction: column; gap: 4px; padding: 6px; background: #f4f4f4; flex: none; }
#reply-kb .kb-row { display: flex; gap: 4px; }
#reply-kb button { flex: 1; min-height: 40px; border: 0; border-radius: 8px; background: #fff; font: inherit;
  box-shadow: 0 1px 1px rgba(0,0,0,.15); }
#menu { display: none; position: absolute; bottom: 64px; left: 8px; right: 8px; max-height: 50vh; overflow-y: auto;
  background: #fff; border-radius: 12px; box-shadow: 0 4px 18px rgba(0,0,0,.25); }
#menu button { display: flex; width: 100%; gap: 10px; border: 0; background: none; padding: 10px 14px; font: inherit; text-align: left; cursor: pointer; }
#menu button:hover { background: #f0f4f8; }
#menu .cmd { color: #2a6fb0; font-weight: 600; }
#menu .desc { color: #555; }
footer { position: relative; display: flex; align-items: flex-end; gap: 6px; padding: 8px; background: #fff; flex: none; }
footer button { border: 0; background: none; font-size: 22px; width: 40px; height: 40px; border-radius: 50%; cursor: pointer; color: #6b8aa8; flex: none; }
footer button:active { background: #eef3f7; }
#menu-btn { background: #517da2; color: #fff; font-size: 15px; width: auto; padding: 0 12px; border-radius: 18px; }
#input { flex: 1; min-height: 40px; max-height: 120px; resize: none; border: 0; outline: none; font: inherit; padding: 9px 4px; }
#send { color: #517da2; }
#toast { position: fixed; left: 50%; top: 70px; transform: translateX(-50%); max-width: 90%; background: rgba(0,0,0,.78);
  color: #fff; border-radius: 10px; padding: 8px 14px; font-size: 14px; display: none; z-index: 5; }
.empty { margin: auto; background: rgba(0,0,0,.18); color: #fff; border-radius: 12px; padding: 8px 14px; font-size: 14px; }
`;
