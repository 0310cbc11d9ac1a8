// A user-defined type guard is a claim the checker believes: it never checks the body.
interface User {
  id: number;
  name: string;
}

function isUser(value: unknown): value is User {
  return typeof value === "object" && value !== null; // checks far less than it claims
}

const data: unknown = JSON.parse('{"id": "42"}');
if (isUser(data)) {
  console.log("id + 1 =", data.id + 1); // data: User here
  console.log(data.name.toUpperCase()); // accepted by tsc
}
