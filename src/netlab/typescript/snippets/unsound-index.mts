// @noUncheckedIndexedAccess: true
// The chapter's first<T>, checked with noUncheckedIndexedAccess: items[0] is T | undefined.
function first<T>(items: T[]): T {
  return items[0]; // error: TS2322
}

function firstOrUndefined<T>(items: T[]): T | undefined {
  return items[0];
}

const ports: number[] = [];
const port = firstOrUndefined(ports);
console.log(port.toFixed(0)); // error: TS18048
console.log(port?.toFixed(0) ?? "no port");
const timeouts: Record<string, number> = { connect: 5 };
console.log(timeouts.read + 1); // error: TS18048
console.log(typeof first);
