// `unknown` is the honest type for parsed data: nothing is allowed until it is narrowed.
const data: unknown = JSON.parse('{"id": "42"}');
console.log(data.id); // error: TS18046
