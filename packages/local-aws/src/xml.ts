// Just enough XML for the REST-XML protocol (CloudFront): the SDKs send well-formed documents of elements and text,
// with no mixed content, comments or DTDs, so a small reader and writer keep this package free of dependencies
// (the rehearsal transpiles it into a temporary folder where no node_modules resolve).

/** A list in a response: each item is written as an element named `member`. */
export class XmlList {
  constructor(
    readonly member: string,
    readonly items: readonly XmlValue[],
  ) {}
}

/** The content of an element parsed from a request, written back as it came (CloudFront describes a configuration as it was sent). */
export class XmlParsed {
  constructor(readonly element: XmlElement) {}
}

export type XmlValue = string | number | boolean | Date | XmlList | XmlParsed | XmlObject | undefined;
export interface XmlObject {
  [element: string]: XmlValue;
}

export const xmlList = (member: string, items: readonly XmlValue[]) => new XmlList(member, items);

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const writeContent = ({ children, text }: XmlElement): string =>
  children.length ? children.map((child) => `<${child.name}>${writeContent(child)}</${child.name}>`).join('') : escape(text);

function writeValue(value: Exclude<XmlValue, undefined>): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof XmlParsed) return writeContent(value.element);
  if (value instanceof XmlList) return value.items.map((item) => element(value.member, item)).join('');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([name, child]) => element(name, child))
      .join('');
  }
  return escape(String(value));
}

function element(name: string, value: XmlValue): string {
  return value === undefined ? '' : `<${name}>${writeValue(value)}</${name}>`;
}

/** A whole document: `root` with the service's namespace, its members in the order given (absent ones omitted). */
export function xmlDocument(root: string, namespace: string, value: XmlObject): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${namespace}">${writeValue(value)}</${root}>`;
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });

/** Parses a request body into its root element; attributes (the namespace) are ignored. */
export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '', children: [], text: '' };
  const stack = [root];
  const tokens = /<\?[^>]*\?>|<(\/?)([\w:.-]+)[^>]*?(\/?)>|([^<]+)/g;
  for (const [, closing, name, selfClosing, text] of source.matchAll(tokens)) {
    const current = stack[stack.length - 1] as XmlElement;
    if (text !== undefined) {
      current.text += unescape(text);
    } else if (name === undefined) {
      continue;
    } else if (closing) {
      if (current.name !== name) throw new Error(`malformed XML: </${name}> closes <${current.name}>`);
      stack.pop();
    } else {
      const opened: XmlElement = { name, children: [], text: '' };
      current.children.push(opened);
      if (!selfClosing) stack.push(opened);
    }
  }
  const [document] = root.children;
  if (!document || stack.length !== 1) throw new Error('malformed XML: no single root element');
  return document;
}

/** The members of a parsed element (whose member names are distinct), to describe them as they were sent. */
export const parsedMembers = (element: XmlElement): XmlObject =>
  Object.fromEntries(element.children.map((child) => [child.name, new XmlParsed(child)]));

export const childOf = (parent: XmlElement | undefined, name: string) => parent?.children.find((c) => c.name === name);
export const textOf = (parent: XmlElement | undefined, name: string) => childOf(parent, name)?.text;
