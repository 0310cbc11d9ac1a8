// `K extends keyof T` allows only real property names, and `T[K]` keeps each one's type.
interface User {
  id: number;
  name: string;
}

function getProperty<T, K extends keyof T>(obj: T, key: K): T[K] {
  return obj[key];
}

const user: User = { id: 7, name: "Ada" };
const id = getProperty(user, "id"); // id: number
const name = getProperty(user, "name"); // name: string
console.log(id + 1, name.toUpperCase());
getProperty(user, "email"); // error: TS2345
const wrong: string = getProperty(user, "id"); // error: TS2322
