// Types are erased: the annotation promises a number, the data brings a string.
interface User {
  id: number;
  name: string;
}

const body = '{"id": "42", "name": "Ada"}'; // what the server really sent
const user: User = JSON.parse(body); // JSON.parse returns any, so tsc accepts this
console.log("typeof user.id:", typeof user.id);
console.log("user.id + 1 =", user.id + 1);
