/**
 * V8 flags every service runs with: the image's NODE_OPTIONS, `paperboy start` and the bench.
 *
 * V8 sizes its heap by the machine's memory, not by what the process needs, and lets it grow long
 * before it collects: a mailer whose live data is a few tens of MB reached 370 MB RSS on a 24 GB
 * machine (and 970 MB before its edition cache was bounded). A cap on the old generation makes it
 * collect instead, keeping each service under 300 MB (the k8s memory limits are 384–512 Mi).
 * `npm run bench` runs the services with these flags and reports their peak RSS.
 */
export const SERVICE_HEAP_MB = 160;
export const SERVICE_NODE_FLAGS: readonly string[] = [`--max-old-space-size=${SERVICE_HEAP_MB}`];
