/**
 * The one-line embed: `<script src="https://news.example/embed.js" data-story="slug" async></script>`
 * puts the story's live feed into any page, in an iframe of its own (so the host page's scripts
 * and styles cannot touch it). The iframe grows with its content.
 */
const script = document.currentScript as HTMLScriptElement | null;

function embedStory(tag: HTMLScriptElement): void {
  const slug = tag.dataset.story;
  if (!slug) return;
  const origin = new URL(tag.src).origin;
  const frame = document.createElement('iframe');
  frame.src = `${origin}/stories/${encodeURIComponent(slug)}/embed`;
  frame.title = tag.dataset.title ?? 'Live updates';
  frame.loading = 'lazy';
  frame.style.cssText = `width:100%;border:0;min-height:${tag.dataset.height ?? '480'}px;`;
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data as { type?: string; height?: number } | null;
    if (data?.type === 'stoppress:height' && typeof data.height === 'number')
      frame.style.height = `${Math.ceil(data.height)}px`;
  });
  tag.insertAdjacentElement('afterend', frame);
}

if (script) embedStory(script);
