// Everyday generic types: Array<T>, Promise<T>, Partial<T>, Record<K, V>, a Result<T, E>.
type Result<T, E = Error> = { ok: true; value: T } | { ok: false; error: E };

interface Config {
  host: string;
  port: number;
}

function parsePort(text: string): Result<number, string> {
  const port = Number(text);
  return Number.isInteger(port) && port > 0 && port < 65536
    ? { ok: true, value: port }
    : { ok: false, error: `not a port: ${text}` };
}

function withDefaults(overrides: Partial<Config>): Config {
  return { host: "127.0.0.1", port: 8080, ...overrides };
}

const statusText: Record<number, string> = { 200: "OK", 404: "Not Found" };
const ports: Array<number> = [];
for (const text of ["443", "http"]) {
  const parsed = parsePort(text);
  if (parsed.ok) {
    ports.push(parsed.value); // narrowed: value exists only when ok is true
  } else {
    console.log("error:", parsed.error);
  }
}
const later: Promise<Config> = Promise.resolve(withDefaults({ port: ports[0] }));
const config = await later;
console.log(config.host, config.port, statusText[200]);
