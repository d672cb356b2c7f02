// Just enough of RFC 6455 for the fake server: upgrade handshake, unmasked text frames out,
// close and ping handled, client data otherwise ignored.
import crypto from 'node:crypto';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode, payload) {
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len])
    : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 255])
      : Buffer.concat([Buffer.from([0x80 | opcode, 127]), (() => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(len)); return b; })()]);
  return Buffer.concat([head, payload]);
}

// Completes the handshake on an 'upgrade' event; returns {send(text), close(), onClose}.
export function acceptWebSocket(req, socket) {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + GUID).digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const conn = { open: true, onClose: () => {} };
  conn.send = (text) => { if (conn.open) socket.write(frame(0x1, Buffer.from(text))); };
  conn.close = () => { if (conn.open) { conn.open = false; socket.end(frame(0x8, Buffer.alloc(0))); } };
  socket.on('data', (buf) => {
    const opcode = buf[0] & 0x0f;
    if (opcode === 0x8) conn.close();
    else if (opcode === 0x9) socket.write(frame(0xA, Buffer.alloc(0)));
  });
  const gone = () => { if (conn.open || !conn.closed) { conn.open = false; conn.closed = true; conn.onClose(); } };
  socket.on('close', gone);
  socket.on('error', gone);
  return conn;
}

export function refuseUpgrade(socket, status, text) {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
}
