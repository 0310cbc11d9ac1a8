// A type guard checks at run time what the type claims, so the claim becomes true.
interface User {
  id: number;
  name: string;
}

function isUser(value: unknown): value is User {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.id === "number" && typeof record.name === "string";
}

for (const body of ['{"id": 42, "name": "Ada"}', '{"id": "42", "name": "Ada"}']) {
  const data: unknown = JSON.parse(body);
  if (isUser(data)) {
    console.log("accepted: id + 1 =", data.id + 1); // data: User here
  } else {
    console.log("rejected:", body);
  }
}
