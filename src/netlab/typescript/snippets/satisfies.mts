// `satisfies` checks a value against a type without widening the value's own type.
type Route = { path: string; method: "GET" | "POST" };

const annotated: Record<string, Route> = {
  health: { path: "/health", method: "GET" },
};
const checked = {
  health: { path: "/health", method: "GET" },
  login: { path: "/login", method: "POST" },
} satisfies Record<string, Route>;

const method: "GET" = checked.health.method; // kept as the literal "GET"
console.log(method, Object.keys(checked).join(","));
console.log(annotated.login.path); // accepted: the annotation says every key exists
checked.logout; // error: TS2339
const typo = { health: { path: "/health", method: "GRT" } } satisfies Record<string, Route>; // error: TS2322
