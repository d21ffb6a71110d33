/**
 * Translates the engine's English sentences (see engine-texts.ts) into the trader's language. English passes through
 * unchanged. A text no template recognises is shown as the engine wrote it (never dropped): first whole, then split
 * at "; " / ", " / line breaks into parts that are recognised one by one.
 */
import type { Language } from '../services.ts';
import { ENGINE_TEXTS, type EngineTextEntry } from './engine-texts.ts';

type Kind = 'text' | 'num' | 'side' | 'mode' | 'market' | 'nested';

interface Compiled {
  entry: EngineTextEntry;
  pattern: RegExp;
  kinds: Map<string, Kind>;
}

const NUMBER = String.raw`[−+\-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?|NaN|Infinity`;

const WORDS: Record<'side' | 'mode', Record<string, string>> = {
  side: { long: 'лонг', short: 'шорт' },
  mode: { paper: 'бумажный', live: 'реальный' },
};

function compile(entry: EngineTextEntry): Compiled {
  const kinds = new Map<string, Kind>();
  let source = '';
  let last = 0;
  for (const match of entry.en.matchAll(/\{(\w+)(?::(\w+)|(\*))?\}/g)) {
    source += escapeRegExp(entry.en.slice(last, match.index));
    const kind: Kind = match[3] ? 'nested' : ((match[2] as Kind | undefined) ?? 'text');
    kinds.set(match[1], kind);
    source += `(?<${match[1]}>${kind === 'num' ? NUMBER : kind === 'side' ? 'long|short' : kind === 'mode' ? 'paper|live' : '.+?'})`;
    last = match.index + match[0].length;
  }
  source += escapeRegExp(entry.en.slice(last));
  return { entry, pattern: new RegExp(`^${source}$`, 's'), kinds };
}

const COMPILED = ENGINE_TEXTS.map(compile);

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function convert(kind: Kind, value: string, language: Language): string {
  if (kind === 'side' || kind === 'mode') return WORDS[kind][value] ?? value;
  // "BTC/USDT 1h on binance": only the joining word is language.
  if (kind === 'market') return value.replace(/ on (\S+)$/, ' на $1');
  if (kind === 'nested') return localizeEngineText(value, language);
  return value;
}

/** The entry that recognises `text` whole, with its captured values; undefined when none does. */
export function matchEngineText(text: string): { entry: EngineTextEntry; values: Record<string, string> } | undefined {
  for (const c of COMPILED) {
    const m = c.pattern.exec(text);
    if (m) return { entry: c.entry, values: { ...m.groups } };
  }
  return undefined;
}

function translateWhole(text: string, language: Language): string | undefined {
  for (const c of COMPILED) {
    const m = c.pattern.exec(text);
    if (!m) continue;
    const values: Record<string, string> = {};
    for (const [name, kind] of c.kinds) values[name] = convert(kind, m.groups?.[name] ?? '', language);
    return fill(c.entry.ru, values);
  }
  return undefined;
}

const SEPARATORS = ['\n', '; ', ', '];

/** Splits at a separator and translates the longest recognised runs of parts, left to right. */
function translateParts(text: string, language: Language, depth: number): string | undefined {
  for (const separator of SEPARATORS.slice(depth)) {
    const parts = text.split(separator);
    if (parts.length < 2) continue;
    const out: string[] = [];
    let any = false;
    for (let i = 0; i < parts.length; ) {
      let j = parts.length;
      let done: string | undefined;
      for (; j > i; j--) {
        done = translateWhole(parts.slice(i, j).join(separator), language);
        if (done !== undefined) break;
      }
      if (done !== undefined) {
        out.push(done);
        any = true;
        i = j;
      } else {
        out.push(translateParts(parts[i], language, SEPARATORS.indexOf(separator) + 1) ?? parts[i]);
        i++;
      }
    }
    if (any) return out.join(separator);
  }
  return undefined;
}

/** The engine's sentence in `language`; unknown sentences come back as they are. */
export function localizeEngineText(text: string, language: Language): string {
  if (language === 'en' || text === '') return text;
  return translateWhole(text, language) ?? translateParts(text, language, 0) ?? text;
}

export function localizeEngineLines(lines: readonly string[], language: Language): string[] {
  return lines.map((line) => localizeEngineText(line, language));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
