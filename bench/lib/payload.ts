/** What the editor posts: a 1 KB Markdown update, like a real live-blog entry. */
const SENTENCE =
  'Emergency crews reached the **harbour district** at 06:40, where [power lines](https://example.com/power) are down and water covers the main road. ';

function ofBytes(bytes: number): string {
  let text = '';
  while (Buffer.byteLength(text) + SENTENCE.length <= bytes) text += SENTENCE;
  return text.padEnd(bytes, '.');
}

export const BODY_1KB = ofBytes(1024);
