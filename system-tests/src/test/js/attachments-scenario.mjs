// Attachments across two gateways with an object store, driven by the official socket.io-client.
// Usage: node attachments-scenario.mjs <gateway A url> <gateway B url> <JWT secret>
// Alice (gateway A) uploads an image straight to the store's presigned URL and sends it; Bob (a member,
// gateway B, durable) receives the message with the image's descriptor and downloads the file and its
// thumbnail through gateway B; Carol (same tenant, not in the room) is refused. Prints one JSON object
// with what each observed; the Java test asserts on it.
import { createHash, randomUUID } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import { connect, request, tokens, waitFor } from "./lib.mjs";

const [urlA, urlB, jwtSecret] = process.argv.slice(2);
const token = tokens(urlA, jwtSecret);
const run = randomUUID().slice(0, 8);
const id = (name) => `${name}-${run}`;

/** A real PNG of width x height (RGB, a gradient): large enough that its thumbnail is scaled down. */
function png(width, height) {
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([x % 256, y % 256, 128], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
/** A PNG's dimensions, from its header. */
const dimensions = (bytes) => ({ png: bytes.subarray(1, 4).toString("ascii") === "PNG",
  width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) });

/** GET through a gateway, as a client does: with a bearer, not following the redirect (the answer is asserted). */
async function get(url, bearer) {
  const res = await fetch(url, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {}, redirect: "manual" });
  const out = { status: res.status, location: res.headers.get("location") };
  if (res.status !== 302) out.body = await res.json().catch(() => null);
  return out;
}
/** The presigned URL's bytes, fetched as a browser would follow the redirect: without the bearer. */
async function follow(location) {
  const res = await fetch(location);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, contentType: res.headers.get("content-type"), size: bytes.length, sha256: sha256(bytes), bytes };
}

const aliceToken = await token(id("alice"));
const bobToken = await token(id("bob"));
const carolToken = await token(id("carol"));
const alice = await connect(urlA, aliceToken);
const bob = await connect(urlB, bobToken, ["websocket"], { receive: "durable" });
const carol = await connect(urlB, carolToken);

const out = {};
const { room } = await request(alice, "create-room", { name: "pictures", kind: "group", members: [id("bob")] });
const roomId = room.id;
await request(alice, "join-room", { roomId });
await request(bob, "join-room", { roomId });

// 1. Upload: a presigned PUT straight to the store, with the headers the ticket names.
const image = png(640, 480);
out.imageSha256 = sha256(image);
out.imageSize = image.length;
out.ticket = await request(alice, "create-upload", { roomId, name: "gradient.png", contentType: "image/png", size: image.length });
const { upload, attachment } = out.ticket;
const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: image });
out.put = { status: put.status };

// 2. Send: Bob, on the other gateway, gets the stored message with the image's descriptor.
const created = waitFor(bob, "room-message-created", (e) => e.new.roomId === roomId);
out.sendAck = await request(alice, "send-message", { roomId, clientMsgId: randomUUID(), body: "look", attachments: [attachment.id] });
out.bobCreated = await created;
out.bobHistory = await request(bob, "fetch-history", { roomId });

// 3. Download through gateway B: a redirect to a presigned URL of the store, then the bytes.
const download = await get(`${urlB}/api/attachments/${attachment.id}`, bobToken);
out.download = download;
if (download.location) {
  const { bytes, ...file } = await follow(download.location);
  out.downloaded = file;
}
const thumbnail = await get(`${urlB}/api/attachments/${attachment.id}/thumbnail`, bobToken);
out.thumbnail = thumbnail;
if (thumbnail.location) {
  const { bytes, ...file } = await follow(thumbnail.location);
  out.thumbnailFile = { ...file, ...dimensions(bytes) };
}

// 4. Refusals: a user of the tenant who is not in the room, no token, an unknown id; and Carol
// cannot attach Alice's upload to a message of hers.
out.carolDownload = await get(`${urlB}/api/attachments/${attachment.id}`, carolToken);
out.carolThumbnail = await get(`${urlA}/api/attachments/${attachment.id}/thumbnail`, carolToken);
out.noToken = await get(`${urlB}/api/attachments/${attachment.id}`, null);
out.unknown = await get(`${urlB}/api/attachments/${randomUUID()}`, bobToken);
const { room: carolRoom } = await request(carol, "create-room", { name: "mine", kind: "group", members: [] });
await request(carol, "join-room", { roomId: carolRoom.id });
out.carolAttach = await request(carol, "send-message", { roomId: carolRoom.id, clientMsgId: randomUUID(), body: "mine now",
  attachments: [attachment.id] });

for (const s of [alice, bob, carol]) s.close();
console.log(JSON.stringify(out));
