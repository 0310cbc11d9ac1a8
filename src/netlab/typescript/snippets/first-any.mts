// With `any` the relation between input and output is lost: the checker says nothing.
function firstAny(items: any[]): any {
  return items[0];
}

const port = firstAny([8080, 8443]);
console.log("typeof port:", typeof port);
console.log(port.toUpperCase()); // accepted by tsc, fails at run time
