// A bare Node socket.io relay that speaks just enough of Common Ground's API for
// bench/fanout.py (`--server node`): tokens, the document's clauses, joining a document's room,
// and a comment POST that broadcasts `comment.created` with the same payload as bench/relay.py
// (RELAY_PAYLOAD, the payload the project sent in the same run, else bench/relay_payload.json,
// filled in the same way) — no database, no authentication, no log.
//
// It shows what the same fan-out costs on Node's socket.io on this machine, in the same run.
//
//   node bench/node_relay.js --host 127.0.0.1 --port 0
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { Server } = require("socket.io");

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const DOCUMENT_ID = 1;
const template = JSON.parse(fs.readFileSync(process.env.RELAY_PAYLOAD || path.join(__dirname, "relay_payload.json"),
                                            "utf8"));
let seq = 0;

function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  response.end(text);
}

function readJson(request) {
  return new Promise((resolve) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
      } catch {
        resolve({});
      }
    });
  });
}

// The same payload as bench/relay.py: the template with this comment's numbers and texts.
function payloadFor(clauseId, body, kind) {
  const number = ++seq;
  const digest = crypto.createHash("sha256").update(body).digest("hex");
  const comment = { ...template.comment, id: number, clause_id: clauseId, kind, body, seq: number };
  const data = { ...template.data, clause_id: clauseId, comment_id: number, kind };
  for (const key of ["body_hmac", "body_sha256"]) if (key in data) data[key] = digest;
  const payload = { ...template, seq: number, subject: `comment:${number}`, data, prev_hash: digest, hash: digest,
                    comment };
  return { payload, comment };
}

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url, "http://relay");
  if (request.method === "POST" && url.pathname === "/api/v1/auth/tokens") {
    await readJson(request);
    return answer(response, 201, { token: "relay" });
  }
  let match = url.pathname.match(/^\/api\/v1\/documents\/(\d+)$/);
  if (request.method === "GET" && match) {
    const clauses = Array.from({ length: 8 }, (_, i) => ({ id: i + 1 }));
    return answer(response, 200, { document: { id: Number(match[1]), clauses } });
  }
  match = url.pathname.match(/^\/api\/v1\/clauses\/(\d+)\/comments$/);
  if (request.method === "POST" && match) {
    const data = await readJson(request);
    const { payload, comment } = payloadFor(Number(match[1]), String(data.body || ""), String(data.kind || ""));
    io.to(`document:${DOCUMENT_ID}`).emit("comment.created", payload);
    return answer(response, 201, { comment });
  }
  if (!url.pathname.startsWith("/socket.io/")) answer(response, 404, { error: { code: "not_found" } });
});

// Per-message deflate off, as in the project (collab/realtime: WithoutMessageCompression).
const io = new Server(server, { cors: { origin: "*" }, perMessageDeflate: false, serveClient: false });
io.on("connection", (socket) => {
  socket.on("join", (data, ack) => {
    socket.join(`document:${data && data.document_id}`);
    if (typeof ack === "function") ack({ ok: true, head: 0, head_hash: "", presence: [], missed: [] });
  });
});

server.on("connection", (socket) => socket.setNoDelay(true));
server.listen(Number(option("port", "5000")), option("host", "127.0.0.1"), () => {
  const { address, port } = server.address();
  console.log(`The relay is serving on http://${address}:${port}`);
});
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
