/** Types for cluster-key-slot (a dependency of ioredis that ships none): the hash slot of a key. */
declare module 'cluster-key-slot' {
  export default function calculateSlot(key: string | Buffer): number;
}
