'use strict';
// node ws peer of WsLab's server benchmarks: echo every message, and with --interval S push the
// Beijing time string (wslab-server's format) to every client every S seconds.
// --port 0 prints "listening PORT". Needs the `ws` package on NODE_PATH (bench/run installs it).

const { WebSocketServer } = require('ws');

function option(name, fallback) {
    const at = process.argv.indexOf(name);
    return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const port = Number(option('--port', '0'));
const interval = Number(option('--interval', '0'));

// 2024-05-01T20:00:00+08:00, as Qt::ISODate prints Asia/Shanghai (no daylight saving there).
function beijingTime() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 19) + '+08:00';
}

const server = new WebSocketServer({ host: '127.0.0.1', port });
server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    socket.on('error', () => {}); // a client vanishing mid-run is not the server's failure
});
server.on('listening', () => {
    console.log(`listening ${server.address().port}`);
});

if (interval > 0) {
    setInterval(() => {
        const now = beijingTime();
        for (const client of server.clients)
            if (client.readyState === 1) client.send(now);
    }, interval * 1000);
}
