// `any` and `as` switch the checker off: no diagnostics, wrong values.
const fromAny: any = "8080";
const port: number = fromAny;
const timeout = "30" as unknown as number;
const retries = ("3" as any) as number;
console.log(port + 1, timeout * 2, retries + 1);
