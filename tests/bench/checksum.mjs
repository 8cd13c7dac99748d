// A weighted sum of every number the workloads consume: the browser run checks that the page
// generated exactly the data Node did.

/** Sum of every number the workloads consume: the runner checks it equals Node's. */
export function checksum(data) {
  let s = 0;
  for (const a of [data.exam.x, data.exam.y, data.circle.x, data.circle.y, data.wave.x, data.wave.y, data.w3.init, data.w4.init]) {
    for (let i = 0; i < a.length; i++) s += a[i] * ((i % 7) + 1);
  }
  return s;
}
