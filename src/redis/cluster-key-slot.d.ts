/** Types for cluster-key-slot (the hash-slot function ioredis itself uses; it ships none). */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
