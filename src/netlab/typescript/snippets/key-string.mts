// With key: string instead of K extends keyof T, strict mode refuses the lookup itself.
interface User {
  id: number;
  name: string;
}

function getProperty(obj: User, key: string) {
  return obj[key]; // error: TS7053
}

console.log(getProperty({ id: 7, name: "Ada" }, "email"));
