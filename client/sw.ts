/// <reference lib="webworker" />
// Placeholder: the service worker is written in client/sw.ts by the push work.
export {};
