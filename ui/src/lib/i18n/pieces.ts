/** Splits a message into text and `{name}` placeholders, so a template can style the filled-in values
 * (`<strong>`, `<code>`) without gluing sentence fragments together. */
export type Piece = { text: string } | { name: string };

export function pieces(message: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of message.matchAll(/\{(\w+)\}/g)) {
    const at = match.index ?? 0;
    if (at > last) out.push({ text: message.slice(last, at) });
    out.push({ name: match[1] ?? "" });
    last = at + match[0].length;
  }
  if (last < message.length) out.push({ text: message.slice(last) });
  return out;
}
