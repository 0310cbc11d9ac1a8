// @erasableSyntaxOnly: true
// The same program under erasableSyntaxOnly (TypeScript 5.8): each construct is refused.
enum Status { // error: TS1294
  Ok = 200,
  NotFound = 404,
}

namespace Http { // error: TS1294
  export const port = 80;
}

class Server {
  constructor(private readonly port: number) {} // error: TS1294
  describe(): string {
    return `listening on ${this.port}`;
  }
}

console.log(Status.Ok, Status[404], Http.port, new Server(8080).describe());
