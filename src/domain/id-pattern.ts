/** Ids are URL-safe and sortable enough to read in logs; they never contain ':' (BullMQ job ids). */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
