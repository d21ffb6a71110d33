/**
 * Text that is about the document rather than the subject: tables of contents (dot leaders, "1.2 Title 14"),
 * lists of figures, and navigation lines ("Back to top", "Next page"). As passages they match every question's
 * vocabulary and answer none, so they are dropped before chunking.
 */

const DOT_LEADER = /(?:\.\s?){4,}\s*(?:\d+|[ivxlc]+)\s*$|…{2,}\s*\d+\s*$|_{4,}\s*\d+\s*$/i;
/** "3.1 Стационарность 8", "2 Постановка задачи 7": a numbered title ending in a page number. */
const NUMBERED_ENTRY = /^\s*(?:\d+(?:\.\d+)*\.?|[IVX]+\.)\s+\S.{0,100}?\s\d{1,3}\s*$/;
const TOC_TITLE = /^\s*(?:table of contents|contents|содержание|оглавление|list of (?:figures|tables|abbreviations))\s*$/i;
const NAVIGATION = /^\s*(?:back to top|edit (?:this|on github)(?: page)?|next(?: page)?|previous(?: page)?|наверх|назад|далее|следующая страница|предыдущая страница|skip to (?:main )?content)\s*[»›→←]?\s*$/i;

export function stripNavigation(text: string): string {
  const lines = text.split('\n');
  const content = lines.filter((l) => l.trim());
  const tocLike = content.filter((l) => DOT_LEADER.test(l) || NUMBERED_ENTRY.test(l) || TOC_TITLE.test(l)).length;
  // A page or section that is mostly contents lines is a table of contents, numbered entries without leaders too.
  if (content.length >= 4 && tocLike >= content.length * 0.5) {
    return lines.filter((l) => !(DOT_LEADER.test(l) || NUMBERED_ENTRY.test(l) || TOC_TITLE.test(l) || /^\s*\d{1,3}\s*$/.test(l))).join('\n').trim();
  }
  return lines.filter((l) => !DOT_LEADER.test(l) && !NAVIGATION.test(l)).join('\n');
}
