/**
 * A lenient multipart/form-data parser. Node 20's Request.formData() rejects grammY's bodies (lower-case header
 * names without a space, unquoted filenames), so uploads are split by hand: boundary lines, then headers, then bytes.
 */
export interface MultipartField {
  name: string;
  value: string;
}

export interface MultipartFile {
  name: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: MultipartField[];
  files: MultipartFile[];
}

export function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: MultipartField[] = [];
  const files: MultipartFile[] = [];
  let cursor = body.indexOf(delimiter);
  while (cursor !== -1) {
    const partStart = cursor + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break; // closing delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = trimLineBreaks(body.subarray(partStart, next));
    const parsed = parsePart(part);
    if (parsed && 'bytes' in parsed) files.push(parsed);
    else if (parsed) fields.push(parsed);
    cursor = next;
  }
  return { fields, files };
}

function trimLineBreaks(part: Buffer): Buffer {
  let start = 0;
  let end = part.length;
  if (part[start] === 0x0d && part[start + 1] === 0x0a) start += 2;
  else if (part[start] === 0x0a) start += 1;
  if (part[end - 2] === 0x0d && part[end - 1] === 0x0a) end -= 2;
  else if (part[end - 1] === 0x0a) end -= 1;
  return part.subarray(start, end);
}

function parsePart(part: Buffer): MultipartField | MultipartFile | undefined {
  let headerEnd = part.indexOf('\r\n\r\n');
  let separatorLength = 4;
  if (headerEnd === -1) {
    headerEnd = part.indexOf('\n\n');
    separatorLength = 2;
  }
  if (headerEnd === -1) return undefined;
  const headers = parseHeaders(part.subarray(0, headerEnd).toString('utf8'));
  const content = part.subarray(headerEnd + separatorLength);
  const disposition = headers.get('content-disposition') ?? '';
  const name = paramOf(disposition, 'name');
  if (name === undefined) return undefined;
  const filename = paramOf(disposition, 'filename');
  if (filename === undefined) return { name, value: content.toString('utf8') };
  return {
    name,
    filename,
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    bytes: Buffer.from(content),
  };
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Reads `name="x"`, `name=x` (grammY leaves filenames unquoted) and RFC 5987 `filename*=utf-8''x`. */
function paramOf(disposition: string, key: string): string | undefined {
  const extended = new RegExp(`(?:^|;)\\s*${key}\\*=(?:[\\w-]+'[\\w-]*')?([^;]+)`, 'i').exec(disposition);
  if (extended) return decodeURIComponent(extended[1].trim());
  const quoted = new RegExp(`(?:^|;)\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  const bare = new RegExp(`(?:^|;)\\s*${key}=([^;]*)`, 'i').exec(disposition);
  return bare ? bare[1].trim() : undefined;
}
