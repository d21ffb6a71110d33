/**
 * Which `<…>` runs are markup. Trading rules are full of comparison operators ("RSI < 30 and price > EMA 200",
 * "<entry>" placeholders), so text is markup only when it is a tag by the rules of its format; everything else is
 * kept verbatim.
 */

/** HTML5 tokenizer rule: `<` starts a tag only when a letter (or `/` + letter) follows; `<!…>` is a declaration. */
const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9:-]*(?:\s+[^<>\s=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>=`]+))?)*\s*\/?>|<![^<>]*>/g;

export function stripHtmlTags(html: string, replacement = ''): string {
  return html.replace(HTML_TAG, replacement);
}

const ELEMENTS = new Set(
  (
    'a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del details dfn div dl dt ' +
    'em figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main mark nav ol p picture pre q s samp ' +
    'section small source span strike strong sub summary sup table tbody td tfoot th thead tr tt u ul var video wbr iframe'
  ).split(' '),
);
const BOOLEAN_ATTRIBUTES = new Set(['open', 'hidden', 'disabled', 'checked', 'controls', 'autoplay', 'loop', 'muted', 'allowfullscreen']);

/**
 * Raw HTML inside Markdown: a known element whose attributes are `name="value"` pairs (or known boolean ones).
 * "<b and c>" or "<entry>" are prose, not tags, so a rule such as "a<b and c>d" survives.
 */
const MARKDOWN_TAG_CANDIDATE = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*?)?)\s*(\/?)>/g;
const ATTRIBUTE = /\s+([a-zA-Z_:][\w:.-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>=`]+))?/y;

export function stripMarkdownTags(line: string): string {
  return line.replace(MARKDOWN_TAG_CANDIDATE, (whole, close: string, name: string, attributes: string) => {
    if (!ELEMENTS.has(name.toLowerCase())) return whole;
    if (close && attributes.trim()) return whole;
    return attributesAreMarkup(attributes) ? '' : whole;
  });
}

function attributesAreMarkup(attributes: string): boolean {
  ATTRIBUTE.lastIndex = 0;
  let position = 0;
  while (position < attributes.trimEnd().length) {
    ATTRIBUTE.lastIndex = position;
    const match = ATTRIBUTE.exec(attributes);
    if (!match) return false;
    if (match[2] === undefined && !BOOLEAN_ATTRIBUTES.has(match[1].toLowerCase())) return false;
    position = ATTRIBUTE.lastIndex;
  }
  return true;
}
