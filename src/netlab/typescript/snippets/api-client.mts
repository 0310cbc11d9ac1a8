// A typed API client: one map from path to response type, one generic `get`.
interface User {
  id: number;
  name: string;
}

interface Api {
  "/users/7": User;
  "/health": { status: "ok" | "degraded" };
}

// Stand-in for the network: what a server would send, as text.
const wire: Record<string, string> = {
  "/users/7": '{"id": 7, "name": "Ada"}',
  "/health": '{"status": "ok"}',
};

async function get<P extends keyof Api>(path: P): Promise<Api[P]> {
  const body = wire[path];
  return JSON.parse(body); // JSON.parse returns any: this line is a promise, not a check
}

const user = await get("/users/7"); // user: User
const health = await get("/health"); // health: { status: "ok" | "degraded" }
console.log(user.name, health.status);
await get("/admin"); // error: TS2345
