// The union forces the caller to check `ok` before reading `value`.
type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

function parsePort(text: string): Result<number, string> {
  const port = Number(text);
  return Number.isInteger(port) ? { ok: true, value: port } : { ok: false, error: text };
}

const parsed = parsePort("http");
console.log(parsed.value + 1); // error: TS2339
