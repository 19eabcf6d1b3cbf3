// Run in a child process by the container registry's exit handler (an exit handler cannot wait for
// the runtime API): removes every container and network of one session. argv: <session id>.

import { getContainerRuntimeClient } from "testcontainers";
import { removeSession } from "./container-cleanup.js";

const session = process.argv[2];
if (session === undefined || session === "") {
  console.error("usage: container-reap-main <session id>");
  process.exit(2);
}
const client = await getContainerRuntimeClient();
await removeSession(client, session);
// A second pass: a container whose creation the dying process had just asked for.
await removeSession(client, session);
