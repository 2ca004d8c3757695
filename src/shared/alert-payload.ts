/**
 * The JSON of a push alert: built by the server (src/push/alert-payload.ts), read by the service
 * worker (client/sw.ts), which turns it into a notification.
 */
export interface AlertPayload {
  title: string;
  body: string;
  /** The story page at the update's anchor. */
  url: string;
  storyId: string;
  updateId: string;
  /** One tag per story, so a story's alerts replace each other on the device. */
  tag: string;
  icon?: string;
  breaking: boolean;
}
