<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>wslab::ClientArgs</name>
    <message>
        <source>&quot;%1&quot;: an IPv6 address goes in brackets, e.g. ws://[::1]:8888/ws</source>
        <translation>&quot;%1&quot;:IPv6 地址要放在方括号里,例如 ws://[::1]:8888/ws</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: the port &quot;%2&quot; is not a number</source>
        <translation>&quot;%1&quot;:端口 &quot;%2&quot; 不是数字</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: port 0 cannot be connected to</source>
        <translation>&quot;%1&quot;:无法连接到端口 0</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: port %2 is out of range (1 to 65535)</source>
        <translation>&quot;%1&quot;:端口 %2 超出范围(1 到 65535)</translation>
    </message>
    <message>
        <source>the URL is empty; try ws://127.0.0.1:8888/ws</source>
        <translation>URL 为空;试试 ws://127.0.0.1:8888/ws</translation>
    </message>
    <message>
        <source>%1 is an HTTP address; a WebSocket URL starts with ws:// or wss://, e.g. %2</source>
        <translation>%1 是 HTTP 地址;WebSocket URL 以 ws:// 或 wss:// 开头,例如 %2</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: the scheme must be ws:// or wss://</source>
        <translation>&quot;%1&quot;:协议必须是 ws:// 或 wss://</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a valid URL: %2</source>
        <translation>&quot;%1&quot; 不是有效的 URL:%2</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has no host; try ws://127.0.0.1:8888/ws</source>
        <translation>&quot;%1&quot; 没有主机;试试 ws://127.0.0.1:8888/ws</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a WebSocket URL cannot have a #fragment</source>
        <translation>&quot;%1&quot;:WebSocket URL 不能带 #片段</translation>
    </message>
    <message>
        <source>header &quot;%1&quot; must look like &apos;Name: value&apos;</source>
        <translation>请求头 &quot;%1&quot; 应形如 &apos;Name: value&apos;</translation>
    </message>
    <message>
        <source>header &quot;%1&quot; cannot contain a line break</source>
        <translation>请求头 &quot;%1&quot; 不能包含换行</translation>
    </message>
    <message>
        <source>Extra handshake header &apos;Name: value&apos; (repeatable).</source>
        <translation>额外的握手请求头 &apos;Name: value&apos;(可重复)。</translation>
    </message>
    <message>
        <source>Subprotocol to offer in Sec-WebSocket-Protocol (repeatable, in order of preference).</source>
        <translation>在 Sec-WebSocket-Protocol 中提供的子协议(可重复,按优先顺序)。</translation>
    </message>
    <message>
        <source>Query parameter name=value added to the URL (repeatable).</source>
        <translation>添加到 URL 的查询参数 name=value(可重复)。</translation>
    </message>
    <message>
        <source>Send &apos;Authorization: Bearer TOKEN&apos;.</source>
        <translation>发送 &apos;Authorization: Bearer TOKEN&apos;。</translation>
    </message>
    <message>
        <source>Send &apos;Authorization: Basic …&apos; for user:password.</source>
        <translation>为 user:password 发送 &apos;Authorization: Basic …&apos;。</translation>
    </message>
    <message>
        <source>Milliseconds to wait for the connection and handshake (default 10000).</source>
        <translation>等待连接和握手的毫秒数(默认 10000)。</translation>
    </message>
    <message>
        <source>PEM file of certificates to trust for wss://, besides the system&apos;s.</source>
        <translation>除系统证书外,wss:// 还要信任的证书(PEM 文件)。</translation>
    </message>
    <message>
        <source>Do not verify the server&apos;s certificate (a warning says so).</source>
        <translation>不校验服务器的证书(会给出警告)。</translation>
    </message>
    <message>
        <source>PEM client certificate for mutual TLS (with --key).</source>
        <translation>用于双向 TLS 的 PEM 客户端证书(与 --key 一起用)。</translation>
    </message>
    <message>
        <source>PEM private key of --cert.</source>
        <translation>--cert 的 PEM 私钥。</translation>
    </message>
    <message>
        <source>Connect through a proxy: http://[user:password@]host:port (CONNECT) or socks5://…</source>
        <translation>通过代理连接:http://[user:password@]host:port(CONNECT)或 socks5://…</translation>
    </message>
    <message>
        <source>When the server closes or the connection drops, connect again after 1, 2, 4 … 30 s.</source>
        <translation>服务器关闭或连接断开时,在 1、2、4 … 30 秒后重新连接。</translation>
    </message>
    <message>
        <source>--bearer and --basic: give one of them, not both</source>
        <translation>--bearer 和 --basic:只能给其中一个,不能同时给</translation>
    </message>
    <message>
        <source>--timeout: &quot;%1&quot; must be a positive number of milliseconds</source>
        <translation>--timeout:“%1”必须是正的毫秒数</translation>
    </message>
    <message>
        <source>--cert needs --key (the certificate&apos;s private key)</source>
        <translation>--cert 需要 --key(证书的私钥)</translation>
    </message>
    <message>
        <source>--key needs --cert (the certificate it belongs to)</source>
        <translation>--key 需要 --cert(它所属的证书)</translation>
    </message>
    <message>
        <source>the proxy URL is empty</source>
        <translation>代理 URL 为空</translation>
    </message>
</context>
<context>
    <name>wslab::ClientListModel</name>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>对端</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>连接时间</translation>
    </message>
    <message>
        <source>In</source>
        <translation>收到</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>发出</translation>
    </message>
    <message>
        <source>(binary, %1 bytes)</source>
        <translation>(二进制,%1 字节)</translation>
    </message>
    <message>
        <source>No User-Agent header: a program rather than a browser (Qt and node ws send none).</source>
        <translation>没有 User-Agent 头:是程序而不是浏览器(Qt 和 node ws 都不发送它)。</translation>
    </message>
    <message>
        <source>User-Agent: %1</source>
        <translation>User-Agent:%1</translation>
    </message>
    <message>
        <source>Round trip of the last ping: %1 ms (pongs so far: %2)</source>
        <translation>上次 ping 的往返时间:%1 毫秒(目前共收到 %2 个 pong)</translation>
    </message>
    <message>
        <source>No pong yet: Ping measures the round trip.</source>
        <translation>还没有 pong:点 Ping 测量往返时间。</translation>
    </message>
    <message>
        <source>Nothing sent yet.</source>
        <translation>还没有发送任何消息。</translation>
    </message>
    <message>
        <source>Sent at %1: binary, %2 bytes</source>
        <translation>发送于 %1:二进制,%2 字节</translation>
    </message>
    <message>
        <source>Sent at %1 (%2 characters, the first %3 shown):</source>
        <translation>发送于 %1(共 %2 个字符,显示前 %3 个):</translation>
    </message>
    <message>
        <source>Sent at %1:</source>
        <translation>发送于 %1:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名字</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Ping (ms)</source>
        <translation>Ping(毫秒)</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>最近的消息</translation>
    </message>
</context>
<context>
    <name>wslab::ClientMain</name>
    <message>
        <source>ws:// or wss:// URL, e.g. ws://127.0.0.1:8888/ws</source>
        <translation>ws:// 或 wss:// 地址,例如 ws://127.0.0.1:8888/ws</translation>
    </message>
    <message>
        <source>Text message to send after connecting (repeatable).</source>
        <translation>连接后要发送的文本消息(可重复)。</translation>
    </message>
    <message>
        <source>Exit after this many received messages.</source>
        <translation>收到这么多条消息后退出。</translation>
    </message>
    <message>
        <source>Largest message or frame accepted from the server, in bytes (default
16 MiB); a larger one closes the connection with 1009.</source>
        <translation>接受服务器消息或帧的最大字节数(默认
16 MiB);更大的会以 1009 关闭连接。</translation>
    </message>
    <message>
        <source>Show the bytes on the wire: the handshake lines (&quot;&gt; &quot; client to
server, &quot;&lt; &quot; back) and one line per frame, decoded.</source>
        <translation>显示线路上的字节:握手的各行(&quot;&gt; &quot; 为客户端到
服务器,&quot;&lt; &quot; 为反方向),以及每帧一行的解码。</translation>
    </message>
    <message>
        <source>a URL is required</source>
        <translation>需要一个 URL</translation>
    </message>
    <message>
        <source>one URL only, got %1</source>
        <translation>只能给一个 URL,却给了 %1 个</translation>
    </message>
    <message>
        <source>--count: &quot;%1&quot; must be a whole number of at least 1</source>
        <translation>--count:“%1”必须是不小于 1 的整数</translation>
    </message>
    <message>
        <source>--max-message-size: &quot;%1&quot; must be a positive number of bytes</source>
        <translation>--max-message-size:“%1”必须是正的字节数</translation>
    </message>
    <message>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <source>cannot connect to %1: %2</source>
        <translation>无法连接到 %1:%2</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connection closed by %1: code %2</source>
        <translation>连接由%1关闭:关闭码 %2</translation>
    </message>
    <message>
        <source>Try wslab-client --help.</source>
        <translation>请看 wslab-client --help。</translation>
    </message>
    <message>
        <source>cannot start the wire tap on 127.0.0.1</source>
        <translation>无法在 127.0.0.1 上启动线路监听器</translation>
    </message>
    <message>
        <source>Connects to a WebSocket server, sends each --send, and prints every message it
receives on its own line (binary as hex). Status goes to stderr.
The subprotocol the server chose is reported on stderr (&quot;subprotocol: chat&quot; or
&quot;no subprotocol&quot;).
Exit status: 0 after --count messages, Ctrl+C, or a normal close by the server;
1 when the connection or handshake fails; 2 for bad arguments; 3 when the
server closes with another code, a message is over --max-message-size (1009),
or the connection drops.
With --reconnect a close by the server or a drop is followed by a new attempt
after 1, 2, 4 … 30 s (failed attempts too), until --count messages or Ctrl+C
(exit status 0); only a failure of the very first connection exits (1).</source>
        <translation>连接到 WebSocket 服务器,发送每个 --send,并把收到的每条消息
各打印成一行(二进制以十六进制显示)。状态信息输出到 stderr。
服务器选定的子协议也在 stderr 上报告(&quot;子协议:chat&quot; 或
&quot;没有子协议&quot;)。
退出状态:收到 --count 条消息、按 Ctrl+C 或服务器正常关闭后为 0;
连接或握手失败为 1;参数错误为 2;服务器以其他关闭码关闭、
消息超过 --max-message-size(1009)
或连接断开时为 3。
使用 --reconnect 时,服务器关闭或连接断开后会重新尝试,间隔
1、2、4 … 30 秒(失败的尝试也如此),直到收到 --count 条消息或
按 Ctrl+C(退出状态 0);只有第一次连接就失败时才会退出(1)。</translation>
    </message>
    <message>
        <source>no subprotocol</source>
        <translation>没有子协议</translation>
    </message>
    <message>
        <source>subprotocol: %1</source>
        <translation>子协议:%1</translation>
    </message>
    <message>
        <source>reconnecting in %1 s</source>
        <translation>%1 秒后重新连接</translation>
    </message>
    <message>
        <source>warning: --insecure: the server&apos;s certificate is NOT verified</source>
        <translation>警告:--insecure:服务器的证书未经校验</translation>
    </message>
    <message>
        <source>cannot start the wire tap: %1</source>
        <translation>无法启动线路监听器:%1</translation>
    </message>
</context>
<context>
    <name>wslab::ClientSession</name>
    <message numerus="yes">
        <source>binary, %n byte(s): %1</source>
        <translation>
            <numerusform>二进制,%n 字节:%1</numerusform>
        </translation>
    </message>
    <message>
        <source>bad URL: %1</source>
        <translation>地址有误:%1</translation>
    </message>
    <message>
        <source>the wire tap could not listen; connecting directly</source>
        <translation>线路监听器无法监听;改为直接连接</translation>
    </message>
    <message>
        <source>open: %1 (frames over the same TCP connection)</source>
        <translation>连接成功:%1(之后在同一个 TCP 连接上传帧)</translation>
    </message>
    <message>
        <source>received text %1</source>
        <translation>收到文本 %1</translation>
    </message>
    <message>
        <source>received %1</source>
        <translation>收到 %1</translation>
    </message>
    <message>
        <source>pong: round trip %1 ms</source>
        <translation>pong:往返 %1 毫秒</translation>
    </message>
    <message>
        <source>close received from the server: %1 %2</source>
        <translation>收到服务器的关闭帧:%1 %2</translation>
    </message>
    <message>
        <source>connecting to %1 through the wire tap</source>
        <translation>正在通过线路监听器连接 %1</translation>
    </message>
    <message>
        <source>connecting to %1</source>
        <translation>正在连接 %1</translation>
    </message>
    <message>
        <source>close sent: %1 %2</source>
        <translation>已发送关闭帧:%1 %2</translation>
    </message>
    <message>
        <source>abort: dropping TCP without a Close frame</source>
        <translation>中止:不发关闭帧,直接断开 TCP</translation>
    </message>
    <message>
        <source>sent text %1</source>
        <translation>发送文本 %1</translation>
    </message>
    <message>
        <source>sent %1</source>
        <translation>发送 %1</translation>
    </message>
    <message>
        <source>ping sent</source>
        <translation>已发送 ping</translation>
    </message>
    <message>
        <source>TCP connected to %1</source>
        <translation>TCP 已连接到 %1</translation>
    </message>
    <message>
        <source>close sent: 1009 (message too big) &quot;%1&quot;: the server sent more than this client accepts (%2 bytes in a message, %3 in a frame)</source>
        <translation>已发送关闭:1009(消息过大)&quot;%1&quot;:服务器发来的超出了本客户端的上限(单条消息 %2 字节,单帧 %3 字节)</translation>
    </message>
    <message>
        <source>close sent: %1 &quot;%2&quot;: Qt refused what the server sent</source>
        <translation>已发送关闭:%1 &quot;%2&quot;:Qt 拒绝了服务器发来的内容</translation>
    </message>
    <message>
        <source>handshake timed out: the server accepted the connection but did not answer within %1 s</source>
        <translation>握手超时:服务器接受了连接,但 %1 秒内没有应答</translation>
    </message>
    <message>
        <source>could not connect to %1 within %2 s</source>
        <translation>%2 秒内未能连接到 %1</translation>
    </message>
    <message>
        <source>abort: given up before the WebSocket opened</source>
        <translation>中止:WebSocket 打开之前就放弃了</translation>
    </message>
    <message>
        <source>bad connection option: %1</source>
        <translation>连接选项有误:%1</translation>
    </message>
    <message>
        <source>the wire tap cannot decode this connection (%1); connecting directly</source>
        <translation>线路监听器无法解码这个连接(%1);改为直接连接</translation>
    </message>
    <message>
        <source>subprotocol: the server chose none of %1</source>
        <translation>子协议:服务器没有从 %1 中选择任何一个</translation>
    </message>
    <message>
        <source>subprotocol: the server chose %1 (offered: %2)</source>
        <translation>子协议:服务器选择了 %1(提供的是:%2)</translation>
    </message>
    <message>
        <source>warning: the server&apos;s certificate is NOT verified (TLS verification is off in the connection options); anyone on the way can read and change this connection</source>
        <translation>警告:服务器的证书未经校验(连接选项中关闭了 TLS 校验);途中的任何人都能读取和篡改这个连接</translation>
    </message>
    <message>
        <source>reconnecting to %1 in %2 s (attempt %3)</source>
        <translation>%2 秒后重新连接 %1(第 %3 次尝试)</translation>
    </message>
    <message>
        <source>reconnect cancelled</source>
        <translation>已取消重新连接</translation>
    </message>
</context>
<context>
    <name>wslab::CloseTracker</name>
    <message>
        <source>aborted: TCP dropped without a Close frame</source>
        <translation>已中止:未发关闭帧就断开了 TCP</translation>
    </message>
    <message>
        <source>the TCP connection ended</source>
        <translation>TCP 连接已结束</translation>
    </message>
    <message>
        <source>normal closure</source>
        <translation>正常关闭</translation>
    </message>
    <message>
        <source>going away</source>
        <translation>离开</translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <source>unsupported data</source>
        <translation>不支持的数据</translation>
    </message>
    <message>
        <source>no status code</source>
        <translation>没有状态码</translation>
    </message>
    <message>
        <source>abnormal closure</source>
        <translation>异常关闭</translation>
    </message>
    <message>
        <source>invalid data</source>
        <translation>无效数据</translation>
    </message>
    <message>
        <source>policy violation</source>
        <translation>违反策略</translation>
    </message>
    <message>
        <source>message too big</source>
        <translation>消息过大</translation>
    </message>
    <message>
        <source>extension required</source>
        <translation>需要扩展</translation>
    </message>
    <message>
        <source>internal error</source>
        <translation>内部错误</translation>
    </message>
    <message>
        <source>service restart</source>
        <translation>服务重启</translation>
    </message>
    <message>
        <source>try again later</source>
        <translation>稍后再试</translation>
    </message>
    <message>
        <source>TLS handshake failed</source>
        <translation>TLS 握手失败</translation>
    </message>
    <message>
        <source>closed by client</source>
        <translation>由客户端关闭</translation>
    </message>
    <message>
        <source>closed by server</source>
        <translation>由服务器关闭</translation>
    </message>
    <message>
        <source>dropped (nobody closed it)</source>
        <translation>已断开(没有任何一方关闭)</translation>
    </message>
    <message>
        <source>%1: code %2%3%4, %5</source>
        <translation>%1:代码 %2%3%4,%5</translation>
    </message>
    <message>
        <source>clean</source>
        <translation>干净</translation>
    </message>
    <message>
        <source>no Close frame</source>
        <translation>没有 Close 帧</translation>
    </message>
    <message>
        <source>handshake failed: %1</source>
        <translation>握手失败:%1</translation>
    </message>
    <message>
        <source>handshake failed: the server answered &quot;%1 %2&quot; instead of &quot;101 Switching Protocols&quot;</source>
        <translation>握手失败:服务器回答的是 &quot;%1 %2&quot;,而不是 &quot;101 Switching Protocols&quot;</translation>
    </message>
    <message>
        <source>handshake failed: the server answered &quot;400 Bad Request&quot;</source>
        <translation>握手失败:服务器回答 &quot;400 Bad Request&quot;</translation>
    </message>
    <message>
        <source>handshake failed: the server&apos;s answer is not HTTP</source>
        <translation>握手失败:服务器的回答不是 HTTP</translation>
    </message>
    <message>
        <source>cannot find the host %1: the name does not resolve (DNS)</source>
        <translation>找不到主机 %1:域名无法解析(DNS)</translation>
    </message>
    <message>
        <source>%1 refused the connection: nothing is listening on port %2</source>
        <translation>%1 拒绝了连接:端口 %2 上没有程序在监听</translation>
    </message>
    <message>
        <source>the server closed the connection before answering the handshake</source>
        <translation>服务器在回答握手之前关闭了连接</translation>
    </message>
    <message>
        <source>connecting to %1 timed out</source>
        <translation>连接 %1 超时</translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation>无法到达 %1:%2</translation>
    </message>
    <message>
        <source>handshake failed: the server&apos;s headers are too long</source>
        <translation>握手失败:服务器的响应头太长</translation>
    </message>
</context>
<context>
    <name>wslab::CoWebSocket</name>
    <message>
        <source>timed out after %1 ms waiting for the handshake</source>
        <translation>等待握手 %1 毫秒后超时</translation>
    </message>
    <message>
        <source>the connection closed during the handshake</source>
        <translation>握手过程中连接被关闭</translation>
    </message>
</context>
<context>
    <name>wslab::ConnectOptions</name>
    <message>
        <source>%1: cannot read %2: %3</source>
        <translation>%1:无法读取 %2:%3</translation>
    </message>
    <message>
        <source>Bearer token: it is empty</source>
        <translation>Bearer 令牌:为空</translation>
    </message>
    <message>
        <source>Bearer token: it cannot contain spaces or line breaks</source>
        <translation>Bearer 令牌:不能包含空格或换行</translation>
    </message>
    <message>
        <source>Basic authorization: &quot;%1&quot; must look like user:password</source>
        <translation>Basic 认证:&quot;%1&quot; 应形如 user:password</translation>
    </message>
    <message>
        <source>Basic authorization: it cannot contain a line break</source>
        <translation>Basic 认证:不能包含换行</translation>
    </message>
    <message>
        <source>header &quot;%1&quot;: the name must be a word of letters, digits and !#$%&amp;&apos;*+-.^_`|~ (no spaces)</source>
        <translation>请求头 &quot;%1&quot;:名称只能由字母、数字和 !#$%&amp;&apos;*+-.^_`|~ 组成(不能有空格)</translation>
    </message>
    <message>
        <source>header &quot;%1&quot;: the value cannot contain a line break</source>
        <translation>请求头 &quot;%1&quot;:值不能包含换行</translation>
    </message>
    <message>
        <source>header &quot;%1&quot;: the WebSocket handshake sets it itself%2</source>
        <translation>请求头 &quot;%1&quot;:WebSocket 握手会自己设置它%2</translation>
    </message>
    <message>
        <source>; offer subprotocols instead</source>
        <translation>;请改为提供子协议</translation>
    </message>
    <message>
        <source>subprotocol &quot;%1&quot;: it must be a word of letters, digits and !#$%&amp;&apos;*+-.^_`|~ (no spaces or commas)</source>
        <translation>子协议 &quot;%1&quot;:只能由字母、数字和 !#$%&amp;&apos;*+-.^_`|~ 组成(不能有空格或逗号)</translation>
    </message>
    <message>
        <source>query parameter &quot;=%1&quot;: the name is empty</source>
        <translation>查询参数 &quot;=%1&quot;:名称为空</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>CA file: %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation>CA 文件:%1 中没有 PEM 证书(-----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>client certificate: a key file is given but no certificate file</source>
        <translation>客户端证书:给了密钥文件,却没有给证书文件</translation>
    </message>
    <message>
        <source>client key: a certificate file is given but no key file</source>
        <translation>客户端密钥:给了证书文件,却没有给密钥文件</translation>
    </message>
    <message>
        <source>client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <source>client certificate: %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----)</source>
        <translation>客户端证书:%1 中没有 PEM 证书(-----BEGIN CERTIFICATE-----)</translation>
    </message>
    <message>
        <source>client key</source>
        <translation>客户端密钥</translation>
    </message>
    <message>
        <source>client key: %1 holds no unencrypted PEM RSA or EC private key</source>
        <translation>客户端密钥:%1 中没有未加密的 PEM RSA 或 EC 私钥</translation>
    </message>
    <message>
        <source>client key: the key in %1 does not belong to the certificate in %2</source>
        <translation>客户端密钥:%1 中的密钥与 %2 中的证书不配对</translation>
    </message>
    <message>
        <source>proxy &quot;%1&quot; is not a valid URL</source>
        <translation>代理 &quot;%1&quot; 不是有效的 URL</translation>
    </message>
    <message>
        <source>proxy &quot;%1&quot;: use http://host:port (CONNECT) or socks5://host:port</source>
        <translation>代理 &quot;%1&quot;:请用 http://host:port(CONNECT)或 socks5://host:port</translation>
    </message>
    <message>
        <source>proxy &quot;%1&quot; has no host</source>
        <translation>代理 &quot;%1&quot; 没有主机</translation>
    </message>
    <message>
        <source>proxy &quot;%1&quot;: port 0 cannot be connected to</source>
        <translation>代理 &quot;%1&quot;:无法连接到端口 0</translation>
    </message>
    <message>
        <source>proxy &quot;%1&quot;: a proxy URL has no path</source>
        <translation>代理 &quot;%1&quot;:代理 URL 不带路径</translation>
    </message>
    <message>
        <source>timeout: it must be at least 1 ms</source>
        <translation>超时:至少要 1 毫秒</translation>
    </message>
    <message>
        <source>query &quot;%1&quot; must look like name=value</source>
        <translation>查询参数 &quot;%1&quot; 应形如 name=value</translation>
    </message>
    <message numerus="yes">
        <source>%n header(s)</source>
        <translation>
            <numerusform>%n 个请求头</numerusform>
        </translation>
    </message>
    <message>
        <source>subprotocol %1</source>
        <translation>子协议 %1</translation>
    </message>
    <message>
        <source>subprotocols %1</source>
        <translation>子协议 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n query parameter(s)</source>
        <translation>
            <numerusform>%n 个查询参数</numerusform>
        </translation>
    </message>
    <message>
        <source>timeout %1 s</source>
        <translation>超时 %1 秒</translation>
    </message>
    <message>
        <source>certificates NOT verified</source>
        <translation>不校验证书</translation>
    </message>
    <message>
        <source>own CA</source>
        <translation>自定义 CA</translation>
    </message>
    <message>
        <source>proxy %1</source>
        <translation>代理 %1</translation>
    </message>
    <message>
        <source>reconnect</source>
        <translation>自动重连</translation>
    </message>
</context>
<context>
    <name>wslab::ConnectOptionsDialog</name>
    <message>
        <source>CA certificates (PEM)</source>
        <translation>CA 证书(PEM)</translation>
    </message>
    <message>
        <source>Client certificate (PEM)</source>
        <translation>客户端证书(PEM)</translation>
    </message>
    <message>
        <source>Client private key (PEM)</source>
        <translation>客户端私钥(PEM)</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.cer *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>the server&apos;s certificate will not be checked: anyone on the way can read and change the connection</source>
        <translation>不会校验服务器的证书:途中的任何人都能读取和篡改这个连接</translation>
    </message>
    <message>
        <source>Connection options</source>
        <translation>连接选项</translation>
    </message>
    <message>
        <source>Handshake</source>
        <translation>握手</translation>
    </message>
    <message>
        <source>TLS (wss://)</source>
        <translation>TLS(wss://)</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <source>&amp;Headers:</source>
        <translation>请求头(&amp;H):</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Extra handshake headers</source>
        <translation>额外的握手请求头</translation>
    </message>
    <message>
        <source>Add header</source>
        <translation>添加请求头</translation>
    </message>
    <message>
        <source>Remove header</source>
        <translation>删除请求头</translation>
    </message>
    <message>
        <source>&amp;Authorization:</source>
        <translation>认证(&amp;A):</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Bearer 令牌</translation>
    </message>
    <message>
        <source>Basic (user and password)</source>
        <translation>Basic(用户名和密码)</translation>
    </message>
    <message>
        <source>Authorization</source>
        <translation>认证</translation>
    </message>
    <message>
        <source>token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>user</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Basic authorization user</source>
        <translation>Basic 认证用户名</translation>
    </message>
    <message>
        <source>password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Basic authorization password</source>
        <translation>Basic 认证密码</translation>
    </message>
    <message>
        <source>&amp;Subprotocols:</source>
        <translation>子协议(&amp;S):</translation>
    </message>
    <message>
        <source>offered in order, e.g. chat, superchat</source>
        <translation>按顺序提供,例如 chat, superchat</translation>
    </message>
    <message>
        <source>Subprotocols offered</source>
        <translation>提供的子协议</translation>
    </message>
    <message>
        <source>&amp;Query parameters:</source>
        <translation>查询参数(&amp;Q):</translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation>查询参数</translation>
    </message>
    <message>
        <source>Add parameter</source>
        <translation>添加参数</translation>
    </message>
    <message>
        <source>Remove parameter</source>
        <translation>删除参数</translation>
    </message>
    <message>
        <source>&amp;Timeout:</source>
        <translation>超时(&amp;T):</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>From connecting to the server&apos;s 101: DNS, TCP, TLS and the HTTP handshake.</source>
        <translation>从开始连接到服务器返回 101:包括 DNS、TCP、TLS 和 HTTP 握手。</translation>
    </message>
    <message>
        <source>Connect timeout in milliseconds</source>
        <translation>连接超时(毫秒)</translation>
    </message>
    <message>
        <source>&amp;Verify the server&apos;s certificate</source>
        <translation>校验服务器的证书(&amp;V)</translation>
    </message>
    <message>
        <source>Certificate verification warning</source>
        <translation>证书校验警告</translation>
    </message>
    <message>
        <source>&amp;CA file:</source>
        <translation>CA 文件(&amp;C):</translation>
    </message>
    <message>
        <source>PEM certificates trusted besides the system&apos;s</source>
        <translation>除系统证书外还要信任的 PEM 证书</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA 文件</translation>
    </message>
    <message>
        <source>Client &amp;certificate:</source>
        <translation>客户端证书(&amp;C):</translation>
    </message>
    <message>
        <source>PEM, for mutual TLS</source>
        <translation>PEM,用于双向 TLS</translation>
    </message>
    <message>
        <source>Client certificate file</source>
        <translation>客户端证书文件</translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation>客户端密钥(&amp;K):</translation>
    </message>
    <message>
        <source>PEM private key of the certificate</source>
        <translation>该证书的 PEM 私钥</translation>
    </message>
    <message>
        <source>Client key file</source>
        <translation>客户端密钥文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose the CA file</source>
        <translation>选择 CA 文件</translation>
    </message>
    <message>
        <source>Choose the client certificate file</source>
        <translation>选择客户端证书文件</translation>
    </message>
    <message>
        <source>Choose the client key file</source>
        <translation>选择客户端密钥文件</translation>
    </message>
    <message>
        <source>&amp;Proxy:</source>
        <translation>代理(&amp;P):</translation>
    </message>
    <message>
        <source>http://host:port (CONNECT) or socks5://host:port</source>
        <translation>http://host:port(CONNECT)或 socks5://host:port</translation>
    </message>
    <message>
        <source>Proxy URL</source>
        <translation>代理 URL</translation>
    </message>
    <message>
        <source>&amp;Reconnect when the server closes or the connection drops (1, 2, 4 … 30 s)</source>
        <translation>服务器关闭或连接断开时自动重连(1、2、4 … 30 秒)(&amp;R)</translation>
    </message>
    <message>
        <source>Connection options problem</source>
        <translation>连接选项有问题</translation>
    </message>
</context>
<context>
    <name>wslab::ConnectionBar</name>
    <message>
        <source>A ws:// or wss:// address. The embedded server&apos;s echo and time push is at /ws, its chat room at /chat.</source>
        <translation>以 ws:// 或 wss:// 开头的地址。内置服务器的回音和时间推送在 /ws,聊天室在 /chat。</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>断开</translation>
    </message>
    <message>
        <source>Close the WebSocket properly: send a Close frame (1000) and wait for the server&apos;s.</source>
        <translation>正常关闭 WebSocket:发送关闭帧(1000),等待服务器回应。</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>Drop the TCP connection without a Close frame: the server sees 1006.</source>
        <translation>不发关闭帧,直接断开 TCP:服务器看到的是 1006。</translation>
    </message>
    <message>
        <source>through the wire tap</source>
        <translation>经过线路监听器</translation>
    </message>
    <message>
        <source>Route the connection through a local relay that records every byte, so the Handshake and Frames panes can show them.</source>
        <translation>让连接经过本机的中继,记录每一个字节,握手和帧面板才能显示它们。</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>地址(&amp;U):</translation>
    </message>
    <message>
        <source>WebSocket URL</source>
        <translation>WebSocket 地址</translation>
    </message>
    <message>
        <source>Connection message</source>
        <translation>连接消息</translation>
    </message>
    <message>
        <source>Options: %1</source>
        <translation>选项:%1</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>%n 秒后重新连接</numerusform>
        </translation>
    </message>
    <message>
        <source>Options…</source>
        <translation>选项…</translation>
    </message>
    <message>
        <source>Headers, authorization, subprotocols, query, timeout, TLS, proxy and reconnect for the next connection.</source>
        <translation>下一次连接的请求头、认证、子协议、查询参数、超时、TLS、代理和自动重连。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel reconnecting</source>
        <translation>取消重新连接</translation>
    </message>
</context>
<context>
    <name>wslab::ConnectionTab</name>
    <message>
        <source>New connection</source>
        <translation>新连接</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>not connected yet</source>
        <translation>尚未连接</translation>
    </message>
    <message>
        <source>TCP connecting</source>
        <translation>TCP 连接中</translation>
    </message>
    <message>
        <source>HTTP handshake</source>
        <translation>HTTP 握手</translation>
    </message>
    <message>
        <source>open</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>关闭中</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
</context>
<context>
    <name>wslab::ConversationView</name>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n 字节</numerusform>
        </translation>
    </message>
    <message>
        <source>→ sent · %1 · %2%3</source>
        <translation>→ 发送 · %1 · %2%3</translation>
    </message>
    <message>
        <source> · binary</source>
        <translation> · 二进制</translation>
    </message>
    <message>
        <source>← Beijing time pushed by the server · %1</source>
        <translation>← 服务器推送的北京时间 · %1</translation>
    </message>
    <message>
        <source>← received · %1 · %2%3</source>
        <translation>← 收到 · %1 · %2%3</translation>
    </message>
    <message>
        <source>Local time %1</source>
        <translation>本地时间 %1</translation>
    </message>
    <message>
        <source>Beijing time from server: waiting for the first push</source>
        <translation>服务器推送的北京时间:等待第一次推送</translation>
    </message>
    <message>
        <source>Beijing time from server: %1 (UTC+8)</source>
        <translation>服务器推送的北京时间:%1(UTC+8)</translation>
    </message>
    <message>
        <source>Type a message. Enter sends, Shift+Enter starts a new line, Up/Down recall what you sent.</source>
        <translation>输入消息。回车发送,Shift+回车换行,上/下键调出发过的消息。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Binary (hex)</source>
        <translation>二进制(十六进制)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Send a ping frame; the server answers with a pong, and Events shows the round trip.</source>
        <translation>发送一个 ping 帧;服务器回一个 pong,事件面板里会显示往返时间。</translation>
    </message>
    <message>
        <source>Send the message, from anywhere in the window.</source>
        <translation>发送消息(在窗口任何位置都可以)。</translation>
    </message>
    <message>
        <source>Message to send</source>
        <translation>要发送的消息</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>消息类型</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>未发送:%1</translation>
    </message>
    <message>
        <source>Send a file as one binary message</source>
        <translation>把一个文件作为一条二进制消息发送</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>未保存:%1</translation>
    </message>
    <message>
        <source>Save the message</source>
        <translation>保存消息</translation>
    </message>
    <message>
        <source>My messages</source>
        <translation>我的消息</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>&amp;Collection:</source>
        <translation>集合(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N):</translation>
    </message>
    <message>
        <source>%1: not a variable, sent as typed (variables: %2).</source>
        <translation>%1:不是变量,按原样发送(可用的变量:%2)。</translation>
    </message>
    <message numerus="yes">
        <source>%n sent</source>
        <translation>
            <numerusform>已发送 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Binary (base64)</source>
        <translation>二进制(base64)</translation>
    </message>
    <message>
        <source>How the input becomes a message. Text and JSON expand {{now}}, {{beijing}} (UTC+8), {{uuid}} and {{counter}} when sent; \{{ keeps braces as typed. Hex: bytes such as 48 65 0x6c de:ad. Base64: standard or URL-safe.</source>
        <translation>输入如何变成消息。文本和 JSON 在发送时展开 {{now}}、{{beijing}}(UTC+8)、{{uuid}} 和 {{counter}};写成 \{{ 则按原样保留花括号。十六进制:字节写法如 48 65 0x6c de:ad。Base64:标准或 URL 安全字母表均可。</translation>
    </message>
    <message>
        <source>Pretty-print</source>
        <translation>格式化</translation>
    </message>
    <message>
        <source>Lay the JSON out on several lines, keys in their order.</source>
        <translation>把 JSON 排成多行,键保持原有顺序。</translation>
    </message>
    <message>
        <source>Compact</source>
        <translation>压缩</translation>
    </message>
    <message>
        <source>The JSON on one line, without spaces.</source>
        <translation>把 JSON 排成一行,不带空格。</translation>
    </message>
    <message>
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <source>Send a file&apos;s bytes as one binary message.</source>
        <translation>把文件的字节作为一条二进制消息发送。</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Keep the input in a collection of saved messages.</source>
        <translation>把输入内容保存到一个消息集合中。</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>重复发送,每隔</translation>
    </message>
    <message>
        <source>Send the input again every so many seconds while connected.</source>
        <translation>连接期间每隔若干秒再次发送输入内容。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Send period in seconds</source>
        <translation>发送间隔(秒)</translation>
    </message>
    <message>
        <source>Indent JSON</source>
        <translation>缩进 JSON</translation>
    </message>
    <message>
        <source>Show JSON messages in the conversation indented, one field a line.</source>
        <translation>在对话中缩进显示 JSON 消息,每个字段一行。</translation>
    </message>
</context>
<context>
    <name>wslab::EmbeddedServer</name>
    <message>
        <source>closed: the HTTP request did not complete within %1 ms</source>
        <translation>已关闭:HTTP 请求在 %1 毫秒内没有发完</translation>
    </message>
    <message>
        <source>the WebSocket handshake could not be completed</source>
        <translation>WebSocket 握手未能完成</translation>
    </message>
    <message>
        <source>a WebSocket arrived without its handshake record; closed</source>
        <translation>收到一个没有握手记录的 WebSocket,已关闭</translation>
    </message>
    <message>
        <source>%1 only reports a close that had no code; it cannot be sent. Use 1000–1003, 1007–1014 or 3000–4999.</source>
        <translation>%1 只用来报告没有代码的关闭,不能发送。请用 1000–1003、1007–1014 或 3000–4999。</translation>
    </message>
    <message>
        <source>%1 is not a code a Close frame may carry. Use 1000–1003, 1007–1014 or 3000–4999 (4000–4999 are for your own use).</source>
        <translation>%1 不是 Close 帧可以携带的代码。请用 1000–1003、1007–1014 或 3000–4999(4000–4999 供你自己使用)。</translation>
    </message>
    <message>
        <source>Cannot allow origin: %1</source>
        <translation>无法允许该来源:%1</translation>
    </message>
    <message>
        <source>not kicked: %1</source>
        <translation>未踢出:%1</translation>
    </message>
</context>
<context>
    <name>wslab::Event</name>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>wire</source>
        <translation>线路</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>TCP connecting</source>
        <translation>TCP 连接中</translation>
    </message>
    <message>
        <source>TCP connected</source>
        <translation>TCP 已连接</translation>
    </message>
    <message>
        <source>TCP accepted</source>
        <translation>TCP 已接受</translation>
    </message>
    <message>
        <source>TCP refused</source>
        <translation>TCP 被拒绝</translation>
    </message>
    <message>
        <source>TCP closed</source>
        <translation>TCP 已关闭</translation>
    </message>
    <message>
        <source>handshake request</source>
        <translation>握手请求</translation>
    </message>
    <message>
        <source>handshake response</source>
        <translation>握手响应</translation>
    </message>
    <message>
        <source>handshake rejected</source>
        <translation>握手被拒</translation>
    </message>
    <message>
        <source>HTTP request</source>
        <translation>HTTP 请求</translation>
    </message>
    <message>
        <source>open</source>
        <translation>连接成功</translation>
    </message>
    <message>
        <source>message sent</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>message received</source>
        <translation>收到消息</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>ping</translation>
    </message>
    <message>
        <source>pong</source>
        <translation>pong</translation>
    </message>
    <message>
        <source>close sent</source>
        <translation>发送关闭</translation>
    </message>
    <message>
        <source>close received</source>
        <translation>收到关闭</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>frame</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>protocol error</source>
        <translation>协议错误</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>info</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>messages (summary)</source>
        <translation>消息(汇总)</translation>
    </message>
</context>
<context>
    <name>wslab::EventLog</name>
    <message>
        <source>Time (s)</source>
        <translation>时间(秒)</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>一方</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
</context>
<context>
    <name>wslab::EventsPane</name>
    <message numerus="yes">
        <source>%n older event(s) dropped</source>
        <translation>
            <numerusform>已丢弃 %n 条较早的事件</numerusform>
        </translation>
    </message>
    <message>
        <source>All sides</source>
        <translation>所有一方</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Wire</source>
        <translation>线路</translation>
    </message>
    <message>
        <source>All phases</source>
        <translation>所有阶段</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>WebSocket</source>
        <translation>WebSocket</translation>
    </message>
    <message>
        <source>Filter by text</source>
        <translation>按文字过滤</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Hold the table still to read it; nothing is lost meanwhile.</source>
        <translation>让表格停下来方便阅读;期间的事件不会丢失。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Filter by side</source>
        <translation>按端筛选</translation>
    </message>
    <message>
        <source>Filter by phase</source>
        <translation>按阶段筛选</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>两个方向</translation>
    </message>
    <message>
        <source>→ to server</source>
        <translation>→ 发往服务器</translation>
    </message>
    <message>
        <source>← to client</source>
        <translation>← 发往客户端</translation>
    </message>
    <message>
        <source>Filter by direction</source>
        <translation>按方向筛选</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <source>Match with a regular expression (case-insensitive)</source>
        <translation>用正则表达式匹配(不区分大小写)</translation>
    </message>
    <message>
        <source>Show &amp;frame</source>
        <translation>显示帧(&amp;F)</translation>
    </message>
    <message>
        <source>Filter by text (Ctrl+F)</source>
        <translation>按文字过滤(Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>wslab::FindBar</name>
    <message>
        <source>Find (Ctrl+F)</source>
        <translation>查找(Ctrl+F)</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <source>Find with a regular expression</source>
        <translation>用正则表达式查找</translation>
    </message>
</context>
<context>
    <name>wslab::FrameFields</name>
    <message>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <source>1: final frame of the message</source>
        <translation>1:消息的最后一帧</translation>
    </message>
    <message>
        <source>0: more frames follow</source>
        <translation>0:后面还有帧</translation>
    </message>
    <message>
        <source>RSV1-3</source>
        <translation>RSV1-3</translation>
    </message>
    <message>
        <source>Opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <source>MASK</source>
        <translation>MASK</translation>
    </message>
    <message>
        <source>1: masked (client to server)</source>
        <translation>1:已掩码(客户端发往服务器)</translation>
    </message>
    <message>
        <source>0: not masked (server to client)</source>
        <translation>0:未掩码(服务器发往客户端)</translation>
    </message>
    <message>
        <source>Payload length (7 bits)</source>
        <translation>负载长度(7 位)</translation>
    </message>
    <message>
        <source>126: the next 2 bytes hold it</source>
        <translation>126:长度在后面 2 个字节里</translation>
    </message>
    <message>
        <source>127: the next 8 bytes hold it</source>
        <translation>127:长度在后面 8 个字节里</translation>
    </message>
    <message>
        <source>Extended payload length</source>
        <translation>扩展负载长度</translation>
    </message>
    <message>
        <source>Masking key</source>
        <translation>掩码键</translation>
    </message>
    <message>
        <source> (first %1 of %2 bytes kept)</source>
        <translation>(只保留了 %2 字节中的前 %1 字节)</translation>
    </message>
    <message>
        <source>Payload (unmasked)</source>
        <translation>负载(已去掩码)</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>负载</translation>
    </message>
    <message>
        <source>Close code</source>
        <translation>关闭码</translation>
    </message>
    <message>
        <source>Close reason</source>
        <translation>关闭原因</translation>
    </message>
</context>
<context>
    <name>wslab::FrameListModel</name>
    <message>
        <source>→ to server</source>
        <translation>→ 发往服务器</translation>
    </message>
    <message>
        <source>← to client</source>
        <translation>← 发往客户端</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>方向</translation>
    </message>
    <message>
        <source>Time (s)</source>
        <translation>时间(秒)</translation>
    </message>
    <message>
        <source>FIN</source>
        <translation>FIN</translation>
    </message>
    <message>
        <source>Opcode</source>
        <translation>操作码</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>负载</translation>
    </message>
</context>
<context>
    <name>wslab::FramesPane</name>
    <message>
        <source>%1–%2</source>
        <translation>%1–%2</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>帧</translation>
    </message>
    <message>
        <source>Fields of the selected frame</source>
        <translation>所选帧的字段</translation>
    </message>
    <message>
        <source>Bytes of the selected frame</source>
        <translation>所选帧的字节</translation>
    </message>
    <message>
        <source>Copied the first %1 of %2 payload bytes: the rest was not kept.</source>
        <translation>已复制 %2 字节负载中的前 %1 字节:其余部分没有保留。</translation>
    </message>
    <message numerus="yes">
        <source>Copied %n payload byte(s).</source>
        <translation>
            <numerusform>已复制 %n 字节负载。</numerusform>
        </translation>
    </message>
    <message>
        <source>Both directions</source>
        <translation>两个方向</translation>
    </message>
    <message>
        <source>→ to server</source>
        <translation>→ 发往服务器</translation>
    </message>
    <message>
        <source>← to client</source>
        <translation>← 发往客户端</translation>
    </message>
    <message>
        <source>Filter frames by direction</source>
        <translation>按方向筛选帧</translation>
    </message>
    <message>
        <source>All opcodes</source>
        <translation>所有操作码</translation>
    </message>
    <message>
        <source>Filter frames by opcode</source>
        <translation>按操作码筛选帧</translation>
    </message>
    <message>
        <source>Filter by payload (Ctrl+F)</source>
        <translation>按负载过滤(Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter frames by payload</source>
        <translation>按负载筛选帧</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正则</translation>
    </message>
    <message>
        <source>Match the payload with a regular expression (case-insensitive)</source>
        <translation>用正则表达式匹配负载(不区分大小写)</translation>
    </message>
    <message>
        <source>Copy payload as &amp;hex</source>
        <translation>复制负载为十六进制(&amp;H)</translation>
    </message>
    <message>
        <source>Copy payload as &amp;base64</source>
        <translation>复制负载为 base64(&amp;B)</translation>
    </message>
    <message>
        <source>Copy payload as &amp;C array</source>
        <translation>复制负载为 C 数组(&amp;C)</translation>
    </message>
    <message>
        <source>Copy payload as &amp;text</source>
        <translation>复制负载为文本(&amp;T)</translation>
    </message>
    <message>
        <source>Show &amp;event</source>
        <translation>显示事件(&amp;E)</translation>
    </message>
</context>
<context>
    <name>wslab::GuardedTcpServer</name>
    <message>
        <source>connection limit (%1) reached</source>
        <translation>已达到连接数上限(%1)</translation>
    </message>
    <message>
        <source>plain HTTP on a TLS port: the client must use https:// or wss://</source>
        <translation>在 TLS 端口上收到明文 HTTP:客户端必须使用 https:// 或 wss://</translation>
    </message>
    <message>
        <source>%1 already has %2 connections, the most one address may have</source>
        <translation>%1 已有 %2 个连接,这是一个地址最多能有的连接数</translation>
    </message>
</context>
<context>
    <name>wslab::HandshakePane</name>
    <message>
        <source>One HTTP request: a GET for the WebSocket&apos;s path. Everything before the blank line is plain HTTP.</source>
        <translation>一个 HTTP 请求:对 WebSocket 路径的 GET。空行之前全是普通的 HTTP。</translation>
    </message>
    <message>
        <source>The server agrees: status 101 Switching Protocols. After this blank line the same TCP connection carries WebSocket frames.</source>
        <translation>服务器同意:状态 101 Switching Protocols。这个空行之后,同一个 TCP 连接上传的就是 WebSocket 帧。</translation>
    </message>
    <message>
        <source>Which server and port the client asked for, as typed in the URL.</source>
        <translation>客户端请求的服务器和端口,与地址栏里写的一样。</translation>
    </message>
    <message>
        <source>Asks to switch this HTTP connection to the WebSocket protocol.</source>
        <translation>请求把这个 HTTP 连接切换到 WebSocket 协议。</translation>
    </message>
    <message>
        <source>Says that this request is an upgrade, not an ordinary keep-alive request.</source>
        <translation>说明这是一个升级请求,而不是普通的保持连接请求。</translation>
    </message>
    <message>
        <source>16 random bytes in base64, new for every connection; the server must prove it read them.</source>
        <translation>16 个随机字节的 base64,每次连接都不同;服务器必须证明它读到了。</translation>
    </message>
    <message>
        <source>The WebSocket protocol version: 13 is RFC 6455.</source>
        <translation>WebSocket 协议版本:13 即 RFC 6455。</translation>
    </message>
    <message>
        <source>The server&apos;s proof: base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11)).</source>
        <translation>服务器的证明:base64(SHA-1(key + 258EAFA5-E914-47DA-95CA-C5AB0DC85B11))。</translation>
    </message>
    <message>
        <source>Application subprotocols the client offers, or the one the server picked.</source>
        <translation>客户端提供的应用子协议,或服务器选中的那一个。</translation>
    </message>
    <message>
        <source>Extensions such as permessage-deflate (compression), offered or accepted.</source>
        <translation>扩展,例如 permessage-deflate(压缩),由客户端提出或服务器接受。</translation>
    </message>
    <message>
        <source>The page that opened the connection; browsers always send it, servers may check it.</source>
        <translation>发起连接的网页;浏览器总会发送,服务器可以检查它。</translation>
    </message>
    <message>
        <source>The client program.</source>
        <translation>客户端程序。</translation>
    </message>
    <message>
        <source>The server program.</source>
        <translation>服务器程序。</translation>
    </message>
    <message>
        <source>When the server answered (GMT).</source>
        <translation>服务器回应的时间(GMT)。</translation>
    </message>
    <message>
        <source>Cross-origin (CORS) permissions; browsers read them, WebSocket does not need them.</source>
        <translation>跨域(CORS)许可;浏览器会读,WebSocket 并不需要。</translation>
    </message>
    <message>
        <source>Describes a response body; a 101 has none, an error response explains itself.</source>
        <translation>描述响应体;101 没有响应体,错误响应会在响应体里说明原因。</translation>
    </message>
    <message>
        <source>Credentials sent with the handshake, as with any HTTP request.</source>
        <translation>随握手发送的凭据,和普通 HTTP 请求一样。</translation>
    </message>
    <message>
        <source>wss://: the handshake is encrypted by TLS; the tap sees only TLS records.</source>
        <translation>wss://:握手被 TLS 加密了;监听器只能看到 TLS 记录。</translation>
    </message>
    <message numerus="yes">
        <source>Request: client → server (%n byte(s))</source>
        <translation>
            <numerusform>请求:客户端 → 服务器(%n 字节)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Response: server → client (%n byte(s))</source>
        <translation>
            <numerusform>响应:服务器 → 客户端(%n 字节)</numerusform>
        </translation>
    </message>
    <message>
        <source>No Sec-WebSocket-Key in the request: nothing to check.</source>
        <translation>请求里没有 Sec-WebSocket-Key:无从校验。</translation>
    </message>
    <message>
        <source>✔ Sec-WebSocket-Accept checked: base64(SHA-1(&quot;%1&quot; + GUID)) = %2, as received.</source>
        <translation>✔ Sec-WebSocket-Accept 校验通过:base64(SHA-1(&quot;%1&quot; + GUID)) = %2,与收到的一致。</translation>
    </message>
    <message>
        <source>✘ Sec-WebSocket-Accept wrong: expected %1, received &quot;%2&quot;.</source>
        <translation>✘ Sec-WebSocket-Accept 不对:应为 %1,收到的是 &quot;%2&quot;。</translation>
    </message>
    <message>
        <source>As sent on the wire</source>
        <translation>线路上发送的原文</translation>
    </message>
    <message>
        <source>What it means</source>
        <translation>含义</translation>
    </message>
    <message>
        <source>Handshake request and response</source>
        <translation>握手请求与响应</translation>
    </message>
    <message>
        <source>✔ %1: the tap verified the certificate of %2.</source>
        <translation>✔ %1:监听器已校验 %2 的证书。</translation>
    </message>
    <message>
        <source>✘ %1: the certificate of %2 was NOT verified (insecure): anyone in between could read and change this connection.</source>
        <translation>✘ %1:%2 的证书未经校验(不安全):中间的任何人都能读取和篡改这个连接。</translation>
    </message>
    <message>
        <source>✘ %1: the certificate of %2 was NOT verified (insecure); verification would have said: %3</source>
        <translation>✘ %1:%2 的证书未经校验(不安全);如果校验,结果会是:%3</translation>
    </message>
    <message>
        <source>Server certificate SHA-256: %1</source>
        <translation>服务器证书的 SHA-256:%1</translation>
    </message>
    <message>
        <source>TLS: tap ↔ server %1</source>
        <translation>TLS:监听器 ↔ 服务器 %1</translation>
    </message>
    <message>
        <source>How wss:// is decoded</source>
        <translation>wss:// 是如何解码的</translation>
    </message>
    <message>
        <source>The tap ended your client&apos;s TLS with a certificate made for this run, which only your client trusts, and opened its own TLS to the server: below is the plaintext.</source>
        <translation>监听器用一张为本次运行生成、只有你的客户端信任的证书终结了客户端的 TLS,再自己与服务器建立 TLS:下面是明文。</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>版本:%1</translation>
    </message>
    <message>
        <source>The TLS version the tap and the server agreed on.</source>
        <translation>监听器与服务器协商出的 TLS 版本。</translation>
    </message>
    <message>
        <source>Cipher: %1</source>
        <translation>加密套件:%1</translation>
    </message>
    <message>
        <source>How the records are encrypted and protected from changes.</source>
        <translation>记录如何加密,以及如何防止被篡改。</translation>
    </message>
    <message>
        <source>Certificate %1: %2</source>
        <translation>证书 %1:%2</translation>
    </message>
    <message>
        <source>The server&apos;s own certificate: who it says it is.</source>
        <translation>服务器自己的证书:它声称自己是谁。</translation>
    </message>
    <message>
        <source>A certificate that vouches for the one above.</source>
        <translation>为上面那张证书担保的证书。</translation>
    </message>
    <message>
        <source>Issued by %1</source>
        <translation>由 %1 颁发</translation>
    </message>
    <message>
        <source>Itself: a self-signed certificate, trusted only where it was added by hand.</source>
        <translation>它自己:自签名证书,只在手动添加过它的地方才受信任。</translation>
    </message>
    <message>
        <source>The authority that vouches for it.</source>
        <translation>为它担保的机构。</translation>
    </message>
    <message>
        <source>Valid %1 to %2 UTC</source>
        <translation>有效期 %1 至 %2 UTC</translation>
    </message>
    <message>
        <source>Outside these dates a client refuses it.</source>
        <translation>超出这段日期,客户端会拒绝它。</translation>
    </message>
    <message>
        <source>SHA-256 %1</source>
        <translation>SHA-256 %1</translation>
    </message>
    <message>
        <source>The certificate&apos;s fingerprint: compare it with what a browser shows for this server; the same fingerprint is the same certificate.</source>
        <translation>证书的指纹:和浏览器为这个服务器显示的指纹对照;指纹相同就是同一张证书。</translation>
    </message>
    <message>
        <source>Verification</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Checked: issued by a trusted authority (or trusted itself), valid now, and for the name %1.</source>
        <translation>已校验:由受信任的机构颁发(或本身受信任)、当前有效,并且适用于名称 %1。</translation>
    </message>
    <message>
        <source>Turned off (insecure): the connection is encrypted, but to whom is not known.</source>
        <translation>已关闭(不安全):连接是加密的,但不知道对方是谁。</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>客户端证书</translation>
    </message>
    <message>
        <source>The tap presented your client certificate to the server (mutual TLS).</source>
        <translation>监听器向服务器出示了你的客户端证书(双向 TLS)。</translation>
    </message>
</context>
<context>
    <name>wslab::HttpRoutes</name>
    <message>
        <source>no WebSocket endpoint at %1; use /ws or /chat</source>
        <translation>%1 上没有 WebSocket 端点;请用 /ws 或 /chat</translation>
    </message>
    <message>
        <source>a page from %1 may not open WebSockets here (allowed: this server&apos;s own pages; add the origin with --allow-origin or in the server pane)</source>
        <translation>来自 %1 的网页不能在这里打开 WebSocket(允许的是:本服务器自己的网页;可用 --allow-origin 或在服务器面板中添加来源)</translation>
    </message>
</context>
<context>
    <name>wslab::Initiator</name>
    <message>
        <source>client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>nobody (TCP dropped)</source>
        <translation>无人(TCP 断开)</translation>
    </message>
</context>
<context>
    <name>wslab::JoinCodeView</name>
    <message>
        <source>The server is reachable from this machine only, so the class cannot join yet.</source>
        <translation>服务器目前只能从本机访问,所以学生还不能加入。</translation>
    </message>
    <message>
        <source>The server is on the LAN, but this machine has no LAN address now: check the Wi-Fi or the cable.</source>
        <translation>服务器已对局域网开放,但本机现在没有局域网地址:请检查 Wi-Fi 或网线。</translation>
    </message>
    <message>
        <source>Join code</source>
        <translation>加入二维码</translation>
    </message>
    <message>
        <source>Scan with your phone&apos;s camera, or type the address</source>
        <translation>用手机相机扫码,或输入这个地址</translation>
    </message>
    <message>
        <source>Open the server to the LAN…</source>
        <translation>对局域网开放服务器…</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭(Esc)</translation>
    </message>
</context>
<context>
    <name>wslab::JoinPanel</name>
    <message>
        <source>Open the server to the LAN?</source>
        <translation>对局域网开放服务器吗?</translation>
    </message>
    <message>
        <source>Everyone on this network — the class, and anyone else on the same Wi-Fi or cable — will be able to reach this machine&apos;s server on port %1: open its page, chat, and connect WebSockets.</source>
        <translation>这个网络上的每个人——全班同学,以及同一 Wi-Fi 或网线上的其他任何人——都能访问本机端口 %1 上的服务器:打开它的网页、聊天、连接 WebSocket。</translation>
    </message>
    <message>
        <source>The Origin check and the per-address limits still apply (and TLS, if it is on). Turn the LAN off again when the lesson is over.</source>
        <translation>Origin 检查和每个地址的连接限制仍然有效(如果开启了 TLS,TLS 也是)。下课后请关闭局域网访问。</translation>
    </message>
    <message>
        <source>Open to the LAN</source>
        <translation>对局域网开放</translation>
    </message>
    <message>
        <source>The server listens on every network of this machine, but none has a LAN address now: check the Wi-Fi or the cable.</source>
        <translation>服务器在本机的所有网络上监听,但现在没有一个有局域网地址:请检查 Wi-Fi 或网线。</translation>
    </message>
    <message>
        <source>The class can reach this machine at %1</source>
        <translation>全班同学可以通过 %1 访问本机</translation>
    </message>
    <message>
        <source>Everyone on this network can connect. The Origin check and the per-address limits still apply.</source>
        <translation>这个网络上的每个人都能连接。Origin 检查和每个地址的连接限制仍然有效。</translation>
    </message>
    <message>
        <source>LAN: let the class join</source>
        <translation>局域网:让学生加入</translation>
    </message>
    <message>
        <source>On: the server listens on this machine&apos;s network addresses, so that students&apos; phones and laptops can join. Off: this machine only (127.0.0.1).</source>
        <translation>开:服务器在本机的网络地址上监听,学生的手机和笔记本电脑可以加入。关:只有本机(127.0.0.1)。</translation>
    </message>
    <message>
        <source>Join on:</source>
        <translation>加入地址:</translation>
    </message>
    <message>
        <source>This machine has several network addresses: pick the one on the students&apos; network.</source>
        <translation>本机有多个网络地址:请选择学生所在网络上的那个。</translation>
    </message>
    <message>
        <source>Join address</source>
        <translation>加入地址</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the join address</source>
        <translation>复制加入地址</translation>
    </message>
    <message>
        <source>Show join code</source>
        <translation>显示加入二维码</translation>
    </message>
    <message>
        <source>The QR code full screen, for the projector (Ctrl+Shift+J)</source>
        <translation>全屏显示二维码,供投影用(Ctrl+Shift+J)</translation>
    </message>
</context>
<context>
    <name>wslab::LessonController</name>
    <message>
        <source>Commands copied: paste them into a terminal.</source>
        <translation>命令已复制:粘贴到终端里运行。</translation>
    </message>
    <message>
        <source>Command copied: run it in a terminal in the WsLab folder, then open http://127.0.0.1:8080/ in two browser tabs.</source>
        <translation>命令已复制:在 WsLab 文件夹的终端里运行它,然后在两个浏览器标签页中打开 http://127.0.0.1:8080/。</translation>
    </message>
</context>
<context>
    <name>wslab::LessonPanel</name>
    <message>
        <source>Compare polling and push</source>
        <translation>比较轮询和推送</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Send &quot;Hello&quot;</source>
        <translation>发送 &quot;Hello&quot;</translation>
    </message>
    <message>
        <source>Let the server push</source>
        <translation>让服务器推送</translation>
    </message>
    <message>
        <source>Kick this client</source>
        <translation>踢出这个客户端</translation>
    </message>
    <message>
        <source>Abort the connection</source>
        <translation>中止连接</translation>
    </message>
    <message>
        <source>Open the page</source>
        <translation>打开网页</translation>
    </message>
    <message>
        <source>Copy the commands</source>
        <translation>复制命令</translation>
    </message>
    <message>
        <source>Copy the command</source>
        <translation>复制命令</translation>
    </message>
</context>
<context>
    <name>wslab::MainWindow</name>
    <message>
        <source>The embedded server could not start: %1</source>
        <translation>内置服务器无法启动:%1</translation>
    </message>
    <message>
        <source>Port %1 was taken; the embedded server uses %2 instead.</source>
        <translation>端口 %1 已被占用;内置服务器改用 %2。</translation>
    </message>
    <message>
        <source>Connected without the wire tap: the bytes are not recorded. Tick &quot;through the wire tap&quot; to see them.</source>
        <translation>未经过线路监听器连接:字节没有被记录。勾选&quot;经过线路监听器&quot;才能看到。</translation>
    </message>
    <message>
        <source>About WsLab</source>
        <translation>关于 WsLab</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;WsLab %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;A WebSocket starts as one HTTP request and response, then becomes frames over the same TCP connection. Connect, send, and watch it happen.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;WsLab %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;WebSocket 以一次 HTTP 请求和响应开始,之后在同一个 TCP 连接上传输帧。连接、发送,亲眼看看这一切。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>WsLab — see WebSocket at work</source>
        <translation>WsLab — 看 WebSocket 如何工作</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Handshake (HTTP)</source>
        <translation>握手(HTTP)</translation>
    </message>
    <message>
        <source>Frames (over TCP)</source>
        <translation>帧(TCP 上)</translation>
    </message>
    <message>
        <source>Embedded server</source>
        <translation>内置服务器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About WsLab</source>
        <translation>关于 WsLab(&amp;A)</translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation>服务器:%1</translation>
    </message>
    <message>
        <source>Server: not running</source>
        <translation>服务器:未运行</translation>
    </message>
    <message numerus="yes">
        <source>%n WebSocket client(s)</source>
        <translation>
            <numerusform>%n 个 WebSocket 客户端</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 messages/s</source>
        <translation>%1 条消息/秒</translation>
    </message>
    <message>
        <source>window closed</source>
        <translation>窗口已关闭</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>时序图</translation>
    </message>
    <message>
        <source>Polling vs push</source>
        <translation>轮询与推送</translation>
    </message>
    <message>
        <source>&amp;Lesson: WebSocket step by step</source>
        <translation>课程:一步一步学 WebSocket(&amp;L)</translation>
    </message>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message numerus="yes">
        <source>That frame is no longer in the Frames pane, which keeps the newest %n.</source>
        <translation>
            <numerusform>这一帧已不在帧面板中,面板只保留最新的 %n 帧。</numerusform>
        </translation>
    </message>
    <message>
        <source>Go to %1</source>
        <translation>转到%1</translation>
    </message>
    <message>
        <source>Close %1</source>
        <translation>关闭 %1</translation>
    </message>
    <message>
        <source>&amp;New connection</source>
        <translation>新建连接(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Duplicate connection</source>
        <translation>复制连接(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Close connection tab</source>
        <translation>关闭连接标签页(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>Saved messages</source>
        <translation>已保存的消息</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Show &amp;join code</source>
        <translation>显示加入二维码(&amp;J)</translation>
    </message>
    <message>
        <source>Server: LAN, %1 on this machine</source>
        <translation>服务器:局域网,本机为 %1</translation>
    </message>
</context>
<context>
    <name>wslab::MessageCollections</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Binary (hex)</source>
        <translation>二进制(十六进制)</translation>
    </message>
    <message>
        <source>Binary (base64)</source>
        <translation>二进制(base64)</translation>
    </message>
    <message>
        <source>The saved messages in %1 could not be read (%2); the file is kept as %3 and the list starts empty.</source>
        <translation>无法读取 %1 中保存的消息(%2);该文件已保留为 %3,列表从空开始。</translation>
    </message>
    <message>
        <source>The saved messages in %1 could not be read (%2) nor moved aside; nothing is saved until it is fixed.</source>
        <translation>无法读取 %1 中保存的消息(%2),也无法把它移到一旁;修复之前不会保存任何内容。</translation>
    </message>
    <message>
        <source>A name cannot be empty.</source>
        <translation>名称不能为空。</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1:%2</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n 条消息</numerusform>
        </translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
</context>
<context>
    <name>wslab::OriginPolicy</name>
    <message>
        <source>&quot;%1&quot; is not an origin; write it like http://example.com:8080</source>
        <translation>&quot;%1&quot; 不是一个源(origin);请写成 http://example.com:8080 这样</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: an origin starts with http:// or https://</source>
        <translation>&quot;%1&quot;:源(origin)以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: an origin is scheme://host:port, without a path</source>
        <translation>&quot;%1&quot;:源(origin)的形式是 scheme://host:port,不带路径</translation>
    </message>
</context>
<context>
    <name>wslab::PayloadInput</name>
    <message>
        <source>&apos;%1&apos; is not a hex digit (0-9, a-f)</source>
        <translation>&apos;%1&apos; 不是十六进制数字(0-9、a-f)</translation>
    </message>
    <message>
        <source>0x without hex digits after it</source>
        <translation>0x 后面没有十六进制数字</translation>
    </message>
    <message>
        <source>&quot;%1&quot; has an odd number of hex digits; a byte is two, e.g. 0a</source>
        <translation>&quot;%1&quot; 的十六进制数字个数是奇数;一个字节是两位,例如 0a</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a base64 character</source>
        <translation>&apos;%1&apos; 不是 base64 字符</translation>
    </message>
    <message>
        <source>&apos;=&apos; padding only goes at the end</source>
        <translation>&apos;=&apos; 填充只能出现在末尾</translation>
    </message>
    <message>
        <source>mixes the standard alphabet (+ /) with the URL-safe one (- _)</source>
        <translation>混用了标准字母表(+ /)和 URL 安全字母表(- _)</translation>
    </message>
    <message>
        <source>base64 is cut short: %1 characters cannot end a group of 4</source>
        <translation>base64 被截断:最后一组只有 %1 个字符,凑不成 4 个一组</translation>
    </message>
    <message>
        <source>not valid base64</source>
        <translation>不是有效的 base64</translation>
    </message>
    <message>
        <source>not valid JSON: %1</source>
        <translation>不是有效的 JSON:%1</translation>
    </message>
    <message>
        <source>not valid JSON: more than one value</source>
        <translation>不是有效的 JSON:有不止一个值</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1:没有这个文件</translation>
    </message>
    <message>
        <source>%1 is a folder, not a file</source>
        <translation>%1 是文件夹,不是文件</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, over the limit of %3 bytes for one message</source>
        <translation>%1 有 %2 字节,超过了单条消息 %3 字节的上限</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1:无法读取:%2</translation>
    </message>
    <message>
        <source>%1 is over the limit of %2 bytes for one message</source>
        <translation>%1 超过了单条消息 %2 字节的上限</translation>
    </message>
</context>
<context>
    <name>wslab::PhaseIndicator</name>
    <message>
        <source>TCP connecting</source>
        <translation>TCP 连接中</translation>
    </message>
    <message>
        <source>HTTP handshake</source>
        <translation>HTTP 握手</translation>
    </message>
    <message>
        <source>open: frames over TCP</source>
        <translation>已连接:TCP 上的帧</translation>
    </message>
    <message>
        <source>closing</source>
        <translation>关闭中</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>The client opens a TCP connection to the server.</source>
        <translation>客户端向服务器建立 TCP 连接。</translation>
    </message>
    <message>
        <source>Over that connection it sends one HTTP request (GET with Upgrade: websocket); the server answers 101 Switching Protocols.</source>
        <translation>在这个连接上发送一个 HTTP 请求(带 Upgrade: websocket 的 GET);服务器回应 101 Switching Protocols。</translation>
    </message>
    <message>
        <source>The same TCP connection now carries WebSocket frames, in both directions, whenever either side wants.</source>
        <translation>同一个 TCP 连接现在传输 WebSocket 帧,双向都可以,任何一方想发就发。</translation>
    </message>
    <message>
        <source>One side sent a Close frame; the other answers with its own.</source>
        <translation>一方发送了关闭帧;另一方用自己的关闭帧回应。</translation>
    </message>
    <message>
        <source>The TCP connection is gone.</source>
        <translation>TCP 连接已断开。</translation>
    </message>
    <message>
        <source>Connection phase</source>
        <translation>连接阶段</translation>
    </message>
</context>
<context>
    <name>wslab::PingPane</name>
    <message>
        <source>Round trip: no pong yet.</source>
        <translation>往返时间:还没有收到 pong。</translation>
    </message>
    <message numerus="yes">
        <source>Round trip (ms): last %1 · min %2 · mean %3 · max %4 · %n pong(s)</source>
        <translation>
            <numerusform>往返时间(毫秒):最近 %1 · 最小 %2 · 平均 %3 · 最大 %4 · 共 %n 个 pong</numerusform>
        </translation>
    </message>
    <message>
        <source>Ping now</source>
        <translation>立即 Ping</translation>
    </message>
    <message>
        <source>Send one ping frame; its pong gives the round trip.</source>
        <translation>发送一个 ping 帧;由它的 pong 得出往返时间。</translation>
    </message>
    <message>
        <source>Ping every</source>
        <translation>定时 Ping,每隔</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Ping period in seconds</source>
        <translation>Ping 间隔(秒)</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Round trip of each ping, in milliseconds</source>
        <translation>每次 ping 的往返时间(毫秒)</translation>
    </message>
    <message>
        <source>seconds since the first pong</source>
        <translation>距第一个 pong 的秒数</translation>
    </message>
    <message>
        <source>round trip (ms)</source>
        <translation>往返时间(毫秒)</translation>
    </message>
</context>
<context>
    <name>wslab::PollPushExperiment</name>
    <message>
        <source>Your exam result is out: %1 points (#%2)</source>
        <translation>你的成绩出来了:%1 分(#%2)</translation>
    </message>
</context>
<context>
    <name>wslab::PollPushPanel</name>
    <message numerus="yes">
        <source>%n headline(s) published. Polling asked %1 times, and %2 of the answers were &quot;not yet&quot;; it learned each headline %3 ms late on average. Push asked nothing and was told %4 ms after each one.</source>
        <translation>
            <numerusform>共发布了 %n 条消息。轮询问了 %1 次,其中 %2 次的回答是&quot;还没有&quot;;它平均晚 %3 毫秒才知道每条消息。推送一次也没问,每条消息发布后 %4 毫秒就收到了。</numerusform>
        </translation>
    </message>
    <message>
        <source>Poll every</source>
        <translation>每隔</translation>
    </message>
    <message>
        <source>for</source>
        <translation>轮询一次,持续</translation>
    </message>
    <message>
        <source>Start: is my result out yet?</source>
        <translation>开始:成绩出来了吗?</translation>
    </message>
    <message>
        <source>HTTP polling</source>
        <translation>HTTP 轮询</translation>
    </message>
    <message>
        <source>WebSocket push</source>
        <translation>WebSocket 推送</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求次数</translation>
    </message>
    <message>
        <source>Useful answers</source>
        <translation>有用的回答</translation>
    </message>
    <message>
        <source>Wasted answers</source>
        <translation>白问的回答</translation>
    </message>
    <message>
        <source>Bytes up</source>
        <translation>上行字节</translation>
    </message>
    <message>
        <source>Bytes down</source>
        <translation>下行字节</translation>
    </message>
    <message>
        <source>Mean delay</source>
        <translation>平均延迟</translation>
    </message>
    <message>
        <source>Worst delay</source>
        <translation>最大延迟</translation>
    </message>
    <message>
        <source>polling: delay until seen</source>
        <translation>轮询:多久才知道</translation>
    </message>
    <message>
        <source>push: delay until seen</source>
        <translation>推送:多久才知道</translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation>时间(秒)</translation>
    </message>
    <message>
        <source>delay (ms)</source>
        <translation>延迟(毫秒)</translation>
    </message>
    <message>
        <source>News published at random times: who hears it first?</source>
        <translation>消息在随机时刻发布:谁先知道?</translation>
    </message>
    <message>
        <source>The server publishes news at irregular times. One client keeps asking (HTTP GET /news every few ms), the other holds a WebSocket and is told. Press Start.</source>
        <translation>服务器在不规则的时刻发布消息。一个客户端不停地问(每隔几毫秒 HTTP GET /news),另一个保持 WebSocket 连接,等着被告知。按&quot;开始&quot;。</translation>
    </message>
    <message>
        <source>Poll interval</source>
        <translation>轮询间隔</translation>
    </message>
    <message>
        <source>Experiment duration</source>
        <translation>实验时长</translation>
    </message>
    <message>
        <source>Polling and push counts</source>
        <translation>轮询与推送的计数</translation>
    </message>
    <message>
        <source>Delay until each headline was seen</source>
        <translation>每条新闻被得知前的延迟</translation>
    </message>
</context>
<context>
    <name>wslab::PortBinding</name>
    <message>
        <source>Ports %1 to %2 on %3 are all in use.</source>
        <translation>%3 上的端口 %1 到 %2 都已被占用。</translation>
    </message>
    <message>
        <source>Port %1 on %2 is already in use by another program.</source>
        <translation>%2 上的端口 %1 已被其他程序占用。</translation>
    </message>
    <message>
        <source>Cannot listen on %1: %2 is not an address of this machine.</source>
        <translation>无法在 %1 上监听:%2 不是本机的地址。</translation>
    </message>
    <message>
        <source>Not allowed to listen on %1 (ports below 1024 need privileges).</source>
        <translation>无权在 %1 上监听(1024 以下的端口需要特权)。</translation>
    </message>
    <message>
        <source>Cannot listen on %1: %2</source>
        <translation>无法在 %1 上监听:%2</translation>
    </message>
</context>
<context>
    <name>wslab::PreferencesDialog</name>
    <message>
        <source>Default URL: %1</source>
        <translation>默认地址:%1</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L):</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T):</translation>
    </message>
    <message>
        <source>The desktop&apos;s own</source>
        <translation>跟随桌面</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>The theme changes the next time WsLab starts; --theme overrides it.</source>
        <translation>主题在下次启动 WsLab 时生效;--theme 会覆盖此设置。</translation>
    </message>
    <message>
        <source>New tab&apos;s &amp;URL:</source>
        <translation>新标签页的地址(&amp;U):</translation>
    </message>
    <message>
        <source>Empty: the embedded server&apos;s %1</source>
        <translation>留空:内置服务器的 %1</translation>
    </message>
    <message>
        <source>New tabs connect through the wire &amp;tap</source>
        <translation>新标签页经过线路监听器连接(&amp;T)</translation>
    </message>
    <message>
        <source>Largest incoming &amp;message:</source>
        <translation>接收消息的最大大小(&amp;M):</translation>
    </message>
    <message>
        <source> KiB</source>
        <translation> KiB</translation>
    </message>
    <message>
        <source>A message or frame from the server over this size closes the connection with 1009.</source>
        <translation>服务器发来的消息或帧超过这个大小时,以 1009 关闭连接。</translation>
    </message>
    <message>
        <source>&amp;Handshake timeout:</source>
        <translation>握手超时(&amp;H):</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>From Connect to the server&apos;s 101: DNS, TCP and the HTTP handshake.</source>
        <translation>从按下&quot;连接&quot;到服务器返回 101:包括 DNS、TCP 和 HTTP 握手。</translation>
    </message>
    <message>
        <source>&amp;Reopen the last session&apos;s tabs on start</source>
        <translation>启动时重新打开上次会话的标签页(&amp;R)</translation>
    </message>
</context>
<context>
    <name>wslab::PresentationMode</name>
    <message>
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Larger text and high contrast, to be read from the back of a classroom (%1)</source>
        <translation>更大的字、更高的对比度,教室最后一排也看得清(%1)</translation>
    </message>
</context>
<context>
    <name>wslab::ProblemLine</name>
    <message>
        <source>Problem:</source>
        <translation>问题:</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
</context>
<context>
    <name>wslab::RedisBus</name>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内没有应答</translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>无法解析 %1:%2</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>the connection was closed</source>
        <translation>连接已关闭</translation>
    </message>
    <message>
        <source>Redis refused the password: %1</source>
        <translation>Redis 拒绝了密码:%1</translation>
    </message>
    <message>
        <source>Redis back at %1; rooms shared again</source>
        <translation>Redis 已在 %1 恢复;聊天室重新共享</translation>
    </message>
    <message>
        <source>connected to Redis at %1; chat, broadcasts and news shared with the other instances</source>
        <translation>已连接到 %1 的 Redis;聊天、广播和新闻与其他实例共享</translation>
    </message>
    <message>
        <source>no answer to PING within %1 s</source>
        <translation>%1 秒内没有回应 PING</translation>
    </message>
    <message>
        <source>Redis at %1 unreachable (%2); serving this instance&apos;s clients only, retrying</source>
        <translation>无法连接 %1 的 Redis(%2);只服务本实例的客户端,正在重试</translation>
    </message>
</context>
<context>
    <name>wslab::RedisEndpoint</name>
    <message>
        <source>&quot;%1&quot; is not a URL like redis://127.0.0.1:6379</source>
        <translation>&quot;%1&quot; 不是形如 redis://127.0.0.1:6379 的 URL</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: the scheme must be redis:// (rediss:// and unix sockets are not supported)</source>
        <translation>&quot;%1&quot;:协议必须是 redis://(不支持 rediss:// 和 unix 套接字)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; names no host; e.g. redis://127.0.0.1:6379</source>
        <translation>&quot;%1&quot; 没有主机;例如 redis://127.0.0.1:6379</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: the port must be from 1 to 65535</source>
        <translation>&quot;%1&quot;:端口必须在 1 到 65535 之间</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: the path may only be a database number (/0)</source>
        <translation>&quot;%1&quot;:路径只能是数据库编号(/0)</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: no ?query or #fragment is understood</source>
        <translation>&quot;%1&quot;:不支持 ?查询 或 #片段</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: a user needs a password (redis://user:password@host)</source>
        <translation>&quot;%1&quot;:用户名需要配密码(redis://user:password@host)</translation>
    </message>
    <message>
        <source>an instance name has 1 to 64 characters</source>
        <translation>实例名必须是 1 到 64 个字符</translation>
    </message>
    <message>
        <source>&quot;%1&quot;: an instance name has only letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;</source>
        <translation>&quot;%1&quot;:实例名只能包含字母、数字、&apos;.&apos;、&apos;_&apos; 和 &apos;-&apos;</translation>
    </message>
</context>
<context>
    <name>wslab::RequestStream</name>
    <message>
        <source>malformed request line &quot;%1&quot;: expected METHOD /path HTTP/1.1</source>
        <translation>请求行格式错误 &quot;%1&quot;:应为 METHOD /path HTTP/1.1</translation>
    </message>
    <message>
        <source>%1 is not supported; use HTTP/1.1</source>
        <translation>不支持 %1;请使用 HTTP/1.1</translation>
    </message>
    <message>
        <source>method %1 is not implemented</source>
        <translation>方法 %1 未实现</translation>
    </message>
    <message>
        <source>folded header line (obsolete line folding) is not accepted</source>
        <translation>不接受折行的头部行(已废弃的 obs-fold 折行)</translation>
    </message>
    <message>
        <source>malformed header line &quot;%1&quot;: expected Name: value</source>
        <translation>头部行格式错误 &quot;%1&quot;:应为 Name: value</translation>
    </message>
    <message>
        <source>control character in header %1</source>
        <translation>头部 %1 中有控制字符</translation>
    </message>
    <message>
        <source>Content-Length must be a number</source>
        <translation>Content-Length 必须是数字</translation>
    </message>
    <message>
        <source>stray CR or NUL in &quot;%1&quot;</source>
        <translation>&quot;%1&quot; 中有多余的 CR 或 NUL</translation>
    </message>
    <message>
        <source>CONNECT: this server is not a proxy</source>
        <translation>CONNECT:本服务器不是代理</translation>
    </message>
    <message>
        <source>two different Content-Length headers</source>
        <translation>两个不同的 Content-Length 头部</translation>
    </message>
    <message>
        <source>Transfer-Encoding in a request is not supported; send Content-Length</source>
        <translation>不支持请求中的 Transfer-Encoding;请发送 Content-Length</translation>
    </message>
    <message>
        <source>request over the %1-byte limit</source>
        <translation>请求超过了 %1 字节的上限</translation>
    </message>
</context>
<context>
    <name>wslab::SavedMessagesPane</name>
    <message>
        <source>New collection</source>
        <translation>新建集合</translation>
    </message>
    <message>
        <source>New collection %1</source>
        <translation>新建集合 %1</translation>
    </message>
    <message>
        <source>Collection &quot;%1&quot; deleted.</source>
        <translation>集合 &quot;%1&quot; 已删除。</translation>
    </message>
    <message>
        <source>Message &quot;%1&quot; deleted.</source>
        <translation>消息 &quot;%1&quot; 已删除。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; not sent: %2</source>
        <translation>&quot;%1&quot; 未发送:%2</translation>
    </message>
    <message>
        <source>Saved messages by collection</source>
        <translation>按集合分组的已保存消息</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Rename the collection or message (F2).</source>
        <translation>重命名集合或消息(F2)。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the collection or message (Delete); Undo brings it back.</source>
        <translation>删除集合或消息(Delete);&quot;撤销&quot;可以恢复。</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move up (Alt+Up).</source>
        <translation>上移(Alt+Up)。</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Move down (Alt+Down).</source>
        <translation>下移(Alt+Down)。</translation>
    </message>
    <message>
        <source>Into the input</source>
        <translation>放入输入框</translation>
    </message>
    <message>
        <source>Put the message in the input, to look at or edit it (Enter or a double click).</source>
        <translation>把消息放入输入框,以便查看或编辑(回车或双击)。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Send the message as saved, variables expanded (Ctrl+Enter).</source>
        <translation>按保存的内容发送消息,并展开变量(Ctrl+Enter)。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Enter or a double click puts a message in the input; Ctrl+Enter sends it. {{counter}} counts each collection&apos;s sends.</source>
        <translation>回车或双击把消息放入输入框;Ctrl+Enter 发送它。{{counter}} 分别统计每个集合的发送次数。</translation>
    </message>
</context>
<context>
    <name>wslab::SendKind</name>
    <message>
        <source>echo</source>
        <translation>回显</translation>
    </message>
    <message>
        <source>push</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>direct</source>
        <translation>单独发送</translation>
    </message>
    <message>
        <source>broadcast</source>
        <translation>广播</translation>
    </message>
</context>
<context>
    <name>wslab::SequenceModel</name>
    <message>
        <source>TCP connect (%1)</source>
        <translation>TCP 连接(%1)</translation>
    </message>
    <message>
        <source>%1 — Upgrade: websocket</source>
        <translation>%1 — Upgrade: websocket</translation>
    </message>
    <message>
        <source>%1 · %2 B</source>
        <translation>%1 · %2 字节</translation>
    </message>
    <message>
        <source> · masked</source>
        <translation> · 已掩码</translation>
    </message>
    <message>
        <source> · more to come</source>
        <translation> · 后面还有</translation>
    </message>
    <message numerus="yes">
        <source>TLS, %n record(s): frames not visible</source>
        <translation>
            <numerusform>TLS,%n 条记录:看不到帧</numerusform>
        </translation>
    </message>
    <message>
        <source>protocol error %1: %2</source>
        <translation>协议错误 %1:%2</translation>
    </message>
    <message>
        <source>TCP closed (%1)</source>
        <translation>TCP 关闭(%1)</translation>
    </message>
</context>
<context>
    <name>wslab::SequencePane</name>
    <message>
        <source>Export the sequence diagram</source>
        <translation>导出时序图</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG 图形 (*.svg)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>导出 PNG…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>导出 SVG…</translation>
    </message>
</context>
<context>
    <name>wslab::SequenceView</name>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>WebSocket sequence diagram</source>
        <translation>WebSocket 时序图</translation>
    </message>
    <message>
        <source>Other clients</source>
        <translation>其他客户端</translation>
    </message>
</context>
<context>
    <name>wslab::ServerDigest</name>
    <message>
        <source>listening: %1 (HTTP: / and /time; WebSocket: %2 and /chat)</source>
        <translation>正在监听:%1(HTTP:/ 和 /time;WebSocket:%2 和 /chat)</translation>
    </message>
    <message>
        <source>TCP accepted from %1:%2</source>
        <translation>接受来自 %1:%2 的 TCP 连接</translation>
    </message>
    <message>
        <source>TCP refused from %1:%2: %3</source>
        <translation>拒绝来自 %1:%2 的 TCP 连接:%3</translation>
    </message>
    <message>
        <source>TCP closed</source>
        <translation>TCP 已关闭</translation>
    </message>
    <message>
        <source>HTTP %1 %2 → %3</source>
        <translation>HTTP %1 %2 → %3</translation>
    </message>
    <message>
        <source>HTTP request rejected with %1: %2</source>
        <translation>HTTP 请求被拒绝,状态 %1:%2</translation>
    </message>
    <message>
        <source>handshake: GET %1 Upgrade: websocket (%2)</source>
        <translation>握手:GET %1 Upgrade: websocket(%2)</translation>
    </message>
    <message>
        <source>handshake rejected with %1: %2</source>
        <translation>握手被拒绝,状态 %1:%2</translation>
    </message>
    <message>
        <source>open (101 sent): %1 from %2:%3%4</source>
        <translation>open(已发送 101):%1,来自 %2:%3%4</translation>
    </message>
    <message>
        <source> as %1</source>
        <translation>,名字 %1</translation>
    </message>
    <message>
        <source>pong: round trip %1 ms</source>
        <translation>pong:往返 %1 毫秒</translation>
    </message>
    <message>
        <source>on_close: code %1%2, initiated by %3, %4</source>
        <translation>on_close:关闭码 %1%2,由%3发起,%4</translation>
    </message>
    <message>
        <source>clean</source>
        <translation>正常关闭</translation>
    </message>
    <message>
        <source>no Close frame</source>
        <translation>没有关闭帧</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>错误:%1</translation>
    </message>
    <message>
        <source>push interval: %1 s</source>
        <translation>推送间隔:%1 秒</translation>
    </message>
    <message>
        <source>push off</source>
        <translation>推送已关闭</translation>
    </message>
    <message>
        <source>binary %1 B: %2</source>
        <translation>二进制 %1 字节:%2</translation>
    </message>
    <message>
        <source>text %1 B: &quot;%2&quot;</source>
        <translation>文本 %1 字节:&quot;%2&quot;</translation>
    </message>
    <message>
        <source>write_message (%1) %2</source>
        <translation>write_message(%1)%2</translation>
    </message>
    <message>
        <source>on_message %1</source>
        <translation>on_message %1</translation>
    </message>
    <message>
        <source>%1 in %2 s, too many to show one by one; the first not shown: %3</source>
        <translation>%2 秒内 %1,太多无法逐条显示;第一条未显示的:%3</translation>
    </message>
    <message>
        <source>1 more connection: %1</source>
        <translation>另外 1 个连接:%1</translation>
    </message>
    <message>
        <source>%1 more connections: %2</source>
        <translation>另外 %1 个连接:%2</translation>
    </message>
    <message>
        <source>on_message ×%1</source>
        <translation>on_message ×%1</translation>
    </message>
    <message>
        <source>write_message ×%1 (%2)</source>
        <translation>write_message ×%1(%2)</translation>
    </message>
    <message>
        <source>this is instance %1; sharing through %2</source>
        <translation>这是实例 %1;通过 %2 共享</translation>
    </message>
    <message>
        <source>this is instance %1</source>
        <translation>这是实例 %1</translation>
    </message>
    <message>
        <source>cluster: %1</source>
        <translation>集群:%1</translation>
    </message>
    <message>
        <source> on instance %1</source>
        <translation>,在实例 %1 上</translation>
    </message>
</context>
<context>
    <name>wslab::ServerHost</name>
    <message>
        <source>The server could not go back to this machine only, so it has been stopped: it is no longer reachable from the LAN. %1</source>
        <translation>服务器无法改回只允许本机访问,所以已经停止:局域网已无法再访问它。%1</translation>
    </message>
</context>
<context>
    <name>wslab::ServerMain</name>
    <message>
        <source>WsLab&apos;s WebSocket server, headless: serves / (a page) and /time over HTTP,
/ws (echo + Beijing-time push) and /chat over WebSocket, on one port.</source>
        <translation>WsLab 的 WebSocket 服务器(无界面):在同一个端口上通过 HTTP 提供 /(网页)和 /time,
通过 WebSocket 提供 /ws(回音 + 北京时间推送)和 /chat。</translation>
    </message>
    <message>
        <source>Address to listen on (default 127.0.0.1; 0.0.0.0 to accept the LAN).</source>
        <translation>监听的地址(默认 127.0.0.1;0.0.0.0 接受局域网连接)。</translation>
    </message>
    <message>
        <source>Port (default 8888; 0 for any free port).</source>
        <translation>端口(默认 8888;0 表示任意空闲端口)。</translation>
    </message>
    <message>
        <source>If the port is taken, use the next free one.</source>
        <translation>端口被占用时,改用下一个空闲端口。</translation>
    </message>
    <message>
        <source>Seconds between Beijing-time pushes on /ws (default 1; fractions allowed; 0 = no push).</source>
        <translation>/ws 上推送北京时间的间隔秒数(默认 1;可以是小数;0 = 不推送)。</translation>
    </message>
    <message>
        <source>Most TCP connections at once (default 1000).</source>
        <translation>同时最多的 TCP 连接数(默认 1000)。</translation>
    </message>
    <message>
        <source>Largest message or frame in bytes; larger ones close the client with 1009 (default 16777216).</source>
        <translation>消息或帧的最大字节数;超过时以 1009 关闭该客户端(默认 16777216)。</translation>
    </message>
    <message>
        <source>Milliseconds a client has to send a complete request (default 10000).</source>
        <translation>客户端发完一个完整请求的时限,毫秒(默认 10000)。</translation>
    </message>
    <message>
        <source>Log connections only, no messages. (Without it, messages are logged one by one up to a rate a person can read, then summarized once a second.)</source>
        <translation>只记录连接,不记录消息。(不加此项时,消息在人读得过来的速率内逐条记录,超过后每秒汇总一次。)</translation>
    </message>
    <message>
        <source>Most connections from one address (default 256; 0 = no limit).</source>
        <translation>来自同一地址的最多连接数(默认 256;0 = 不限)。</translation>
    </message>
    <message>
        <source>Largest /chat message in bytes, which goes to every member; larger ones close the sender with 1009 (default 65536).</source>
        <translation>/chat 消息的最大字节数(它会发给每个成员);超过时以 1009 关闭发送者(默认 65536)。</translation>
    </message>
    <message>
        <source>Let web pages from ORIGIN (e.g. http://192.168.1.20:8000) open WebSockets; repeatable; * allows any page. By default only this server&apos;s own pages and programs that send no Origin may.</source>
        <translation>允许来自 ORIGIN(例如 http://192.168.1.20:8000)的网页打开 WebSocket;可重复;* 允许任何网页。默认只允许本服务器自己的网页和不发送 Origin 的程序。</translation>
    </message>
    <message>
        <source>Seconds a WebSocket may stay silent before it is pinged, and closed if it does not answer within as long again (default 0 = never).</source>
        <translation>WebSocket 沉默多少秒后发送 ping;再过同样长时间仍无应答就关闭(默认 0 = 从不)。</translation>
    </message>
    <message>
        <source>PEM certificate (chain) file: serve https:// and wss:// on the port.</source>
        <translation>PEM 证书(链)文件:在该端口上提供 https:// 和 wss://。</translation>
    </message>
    <message>
        <source>PEM private key for --tls-cert.</source>
        <translation>--tls-cert 的 PEM 私钥。</translation>
    </message>
    <message>
        <source>unexpected argument &quot;%1&quot;</source>
        <translation>多余的参数“%1”</translation>
    </message>
    <message>
        <source>--host: &quot;%1&quot; is not an IP address</source>
        <translation>--host:“%1”不是 IP 地址</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number (0 to 65535)</source>
        <translation>--port:“%1”不是端口号(0 到 65535)</translation>
    </message>
    <message>
        <source>--interval: &quot;%1&quot; must be a number of seconds from 0 to 86400</source>
        <translation>--interval:“%1”必须是 0 到 86400 之间的秒数</translation>
    </message>
    <message>
        <source>--max-connections: &quot;%1&quot; must be a whole number of at least 1</source>
        <translation>--max-connections:“%1”必须是不小于 1 的整数</translation>
    </message>
    <message>
        <source>--max-message-size: &quot;%1&quot; must be from 1 to 1073741824 bytes</source>
        <translation>--max-message-size:“%1”必须在 1 到 1073741824 字节之间</translation>
    </message>
    <message>
        <source>--handshake-timeout: &quot;%1&quot; must be a positive number of milliseconds</source>
        <translation>--handshake-timeout:“%1”必须是正的毫秒数</translation>
    </message>
    <message>
        <source>--max-per-address: &quot;%1&quot; must be a whole number (0 = no limit)</source>
        <translation>--max-per-address:“%1”必须是整数(0 = 不限)</translation>
    </message>
    <message>
        <source>--max-chat-message-size: &quot;%1&quot; must be from 1 to 1073741824 bytes</source>
        <translation>--max-chat-message-size:“%1”必须在 1 到 1073741824 字节之间</translation>
    </message>
    <message>
        <source>--idle-timeout: &quot;%1&quot; must be a number of seconds from 0 to 86400</source>
        <translation>--idle-timeout:“%1”必须是 0 到 86400 之间的秒数</translation>
    </message>
    <message>
        <source>--allow-origin: %1</source>
        <translation>--allow-origin:%1</translation>
    </message>
    <message>
        <source>--tls-cert and --tls-key go together</source>
        <translation>--tls-cert 和 --tls-key 必须同时给出</translation>
    </message>
    <message>
        <source>Try wslab-server --help.</source>
        <translation>请看 wslab-server --help。</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告:%1</translation>
    </message>
    <message>
        <source>Choose another port with --port N, --port 0 for any free port, or add --next-free-port.</source>
        <translation>用 --port N 换一个端口,用 --port 0 取任意空闲端口,或加上 --next-free-port。</translation>
    </message>
    <message>
        <source>TLS certificate SHA-256 fingerprint: %1 (clients that do not know the certificate should check it)</source>
        <translation>TLS 证书的 SHA-256 指纹:%1(不认识这个证书的客户端应当核对它)</translation>
    </message>
    <message>
        <source>Port %1 was taken; using %2 instead.</source>
        <translation>端口 %1 已被占用;改用 %2。</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Several of them behind nginx share chat, broadcasts and news through Redis
(--redis, --instance; scripts/cluster starts such a cluster).</source>
        <translation>多个实例放在 nginx 后面时,通过 Redis 共享聊天、广播和新闻
(--redis、--instance;scripts/cluster 可启动这样的集群)。</translation>
    </message>
    <message>
        <source>Share /chat rooms, broadcasts and /news with the other instances through the Redis at URL (redis://[:password@]host[:port], e.g. redis://127.0.0.1:6379; see scripts/cluster). While Redis is unreachable this instance serves its own clients and retries. Needs --instance.</source>
        <translation>通过 URL 处的 Redis 与其他实例共享 /chat 聊天室、广播和 /news(redis://[:password@]host[:port],例如 redis://127.0.0.1:6379;见 scripts/cluster)。Redis 不可达时,本实例只服务自己的客户端并不断重试。需要 --instance。</translation>
    </message>
    <message>
        <source>This server&apos;s name among several behind a proxy (letters, digits, &apos;.&apos;, &apos;_&apos;, &apos;-&apos;): every HTTP response carries X-WsLab-Instance: NAME, and the log and the chat&apos;s join notices say which instance a client landed on.</source>
        <translation>代理后面多个服务器中本服务器的名字(字母、数字、&apos;.&apos;、&apos;_&apos;、&apos;-&apos;):每个 HTTP 响应都带 X-WsLab-Instance: NAME,日志和聊天的加入通知会说明客户端落在哪个实例上。</translation>
    </message>
    <message>
        <source>--instance: %1</source>
        <translation>--instance:%1</translation>
    </message>
    <message>
        <source>--redis: %1</source>
        <translation>--redis:%1</translation>
    </message>
    <message>
        <source>--redis needs --instance NAME, a different name for each instance</source>
        <translation>--redis 需要 --instance NAME,每个实例的名字都不同</translation>
    </message>
</context>
<context>
    <name>wslab::ServerPane</name>
    <message>
        <source>Embedded server listening on %1</source>
        <translation>内置服务器正在监听 %1</translation>
    </message>
    <message>
        <source>Embedded server not running: %1</source>
        <translation>内置服务器未运行:%1</translation>
    </message>
    <message>
        <source>One port, like the lesson&apos;s Tornado router: / page and /time over HTTP; /ws echo + Beijing time push and /chat over WebSocket.</source>
        <translation>一个端口,和课程里 Tornado 的路由一样:/ 网页和 /time 走 HTTP;/ws 回音和北京时间推送、/chat 走 WebSocket。</translation>
    </message>
    <message>
        <source>Push Beijing time every (s):</source>
        <translation>推送北京时间的间隔(秒):</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Pause push</source>
        <translation>暂停推送</translation>
    </message>
    <message>
        <source>Message from the server</source>
        <translation>服务器要发的消息</translation>
    </message>
    <message>
        <source>Send to client</source>
        <translation>发给该客户端</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>广播</translation>
    </message>
    <message>
        <source>Close code sent with Kick (1000 normal, 1001 going away, 4000–4999 your own).</source>
        <translation>踢出时发送的关闭码(1000 正常,1001 离开,4000–4999 自定义)。</translation>
    </message>
    <message>
        <source>Kick reason</source>
        <translation>踢出原因</translation>
    </message>
    <message>
        <source>Kick</source>
        <translation>踢出</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>Open the page at / in a browser: the browser is only one client</source>
        <translation>在浏览器中打开 / 页面:浏览器只是客户端之一</translation>
    </message>
    <message>
        <source>Web pages allowed to connect: any page, from any site (--allow-origin *).</source>
        <translation>允许连接的网页:任何网站的任何网页(--allow-origin *)。</translation>
    </message>
    <message>
        <source>Web pages allowed to connect: this server&apos;s own (%1).</source>
        <translation>允许连接的网页:本服务器自己的(%1)。</translation>
    </message>
    <message>
        <source>Web pages allowed to connect: this server&apos;s own (%1), and %2.</source>
        <translation>允许连接的网页:本服务器自己的(%1),以及 %2。</translation>
    </message>
    <message>
        <source>Programs (no Origin header) can always connect.</source>
        <translation>程序(不带 Origin 请求头)总是可以连接。</translation>
    </message>
    <message>
        <source>Allow another site&apos;s pages, e.g. http://192.168.1.20:8000</source>
        <translation>允许其他网站的网页,例如 http://192.168.1.20:8000</translation>
    </message>
    <message>
        <source>Allow origin</source>
        <translation>允许来源</translation>
    </message>
    <message>
        <source>A browser sends the page&apos;s origin with each WebSocket handshake; pages from other sites are refused with 403 so that they cannot use a student&apos;s browser to reach this server.</source>
        <translation>浏览器在每次 WebSocket 握手时都会发送网页的来源;其他网站的网页会被以 403 拒绝,这样它们就不能借学生的浏览器访问本服务器。</translation>
    </message>
    <message>
        <source>No classroom certificate: %1</source>
        <translation>没有课堂证书:%1</translation>
    </message>
    <message>
        <source>Certificate (PEM)</source>
        <translation>证书(PEM)</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Private key (PEM)</source>
        <translation>私钥(PEM)</translation>
    </message>
    <message>
        <source>PEM files (*.pem *.key);;All files (*)</source>
        <translation>PEM 文件 (*.pem *.key);;所有文件 (*)</translation>
    </message>
    <message>
        <source>TLS off: ws:// and http://, readable by anyone on the network.</source>
        <translation>TLS 关闭:ws:// 和 http://,网络上的任何人都能读到。</translation>
    </message>
    <message>
        <source>TLS on: wss:// and https:// only. Certificate &quot;%1&quot;, SHA-256 fingerprint %2 — students compare it with what their browser shows before they accept it.</source>
        <translation>TLS 开启:只用 wss:// 和 https://。证书 &quot;%1&quot;,SHA-256 指纹 %2 —— 学生在接受证书之前,把它和浏览器显示的指纹对照一下。</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Use the classroom certificate (self-signed, made on this machine)</source>
        <translation>使用课堂证书(自签名,在本机生成)</translation>
    </message>
    <message>
        <source>Load a certificate and key…</source>
        <translation>加载证书和私钥…</translation>
    </message>
    <message>
        <source>Turn TLS off</source>
        <translation>关闭 TLS</translation>
    </message>
    <message>
        <source>Kick close code</source>
        <translation>踢出时的关闭码</translation>
    </message>
    <message>
        <source>Origin to allow</source>
        <translation>要允许的来源(Origin)</translation>
    </message>
    <message>
        <source>Connected clients</source>
        <translation>已连接的客户端</translation>
    </message>
    <message>
        <source>No students connected yet</source>
        <translation>还没有学生连接</translation>
    </message>
    <message>
        <source>nobody in the chat yet</source>
        <translation>聊天室里还没有人</translation>
    </message>
    <message>
        <source>1 student in the chat</source>
        <translation>聊天室里有 1 名学生</translation>
    </message>
    <message>
        <source>%1 students in the chat</source>
        <translation>聊天室里有 %1 名学生</translation>
    </message>
    <message>
        <source>1 connection</source>
        <translation>1 个连接</translation>
    </message>
    <message>
        <source>%1 connections</source>
        <translation>%1 个连接</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <comment>students in the chat · connections</comment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Send to %1</source>
        <translation>发送给 %1</translation>
    </message>
    <message>
        <source>Message to %1 (#%2, %3):</source>
        <translation>发给 %1 的消息(#%2,%3):</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Kick all</source>
        <translation>全部踢出</translation>
    </message>
    <message>
        <source>Close the one connection with code %1?</source>
        <translation>用代码 %1 关闭这 1 个连接吗?</translation>
    </message>
    <message>
        <source>Close all %1 connections with code %2?</source>
        <translation>用代码 %2 关闭全部 %1 个连接吗?</translation>
    </message>
    <message>
        <source>Each client sees the close code and the reason; the pages on the students&apos; phones say the connection was closed.</source>
        <translation>每个客户端都会看到关闭代码和原因;学生手机上的网页会显示连接已关闭。</translation>
    </message>
    <message>
        <source>Ping all</source>
        <translation>全部 Ping</translation>
    </message>
    <message>
        <source>Ping every client; the list shows each round trip.</source>
        <translation>Ping 每个客户端;列表显示各自的往返时间。</translation>
    </message>
    <message>
        <source>Kick all…</source>
        <translation>全部踢出…</translation>
    </message>
    <message>
        <source>Close every client with the close code and reason beside Kick.</source>
        <translation>用“踢出”旁边的关闭代码和原因关闭每个客户端。</translation>
    </message>
    <message>
        <source>Send to…</source>
        <translation>发送给…</translation>
    </message>
    <message>
        <source>Students are counted by the names they chat under. The page on a phone opens /ws (the time and the echo) and /chat, so a class has about twice as many connections.</source>
        <translation>学生按聊天时用的名字计数。手机上的网页会打开 /ws(时间和回显)和 /chat,所以一个班的连接数大约是学生数的两倍。</translation>
    </message>
    <message>
        <source>Embedded server listening on all addresses (LAN); this machine: %1</source>
        <translation>内置服务器正在所有地址上监听(局域网);本机:%1</translation>
    </message>
</context>
<context>
    <name>wslab::SessionActions</name>
    <message>
        <source>Replay: %1 of %2 messages sent</source>
        <translation>重放:%2 条消息中已发送 %1 条</translation>
    </message>
    <message>
        <source>Replay stopped before its end.</source>
        <translation>重放在结束前停止了。</translation>
    </message>
    <message>
        <source>The session record is full: it keeps the newest %L1 events, frames and messages each and %2 MiB of payload; older ones are left out of the export (the file counts them).</source>
        <translation>会话记录已满:事件、帧和消息各只保留最新的 %L1 条,负载最多 %2 MiB;更早的不会导出(文件中会记下它们的数量)。</translation>
    </message>
    <message>
        <source>&amp;Export session…</source>
        <translation>导出会话(&amp;E)…</translation>
    </message>
    <message>
        <source>Both sides&apos; events, the handshake and every frame&apos;s bytes, as JSON (lossless) or HAR 1.2</source>
        <translation>双方的事件、握手和每一帧的字节,保存为 JSON(无损)或 HAR 1.2</translation>
    </message>
    <message>
        <source>&amp;Import session…</source>
        <translation>导入会话(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Replay sent messages</source>
        <translation>重放已发送的消息(&amp;R)</translation>
    </message>
    <message>
        <source>Replay with the original &amp;spacing</source>
        <translation>按原来的时间间隔重放(&amp;S)</translation>
    </message>
    <message>
        <source>S&amp;top replay</source>
        <translation>停止重放(&amp;T)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <source>Exported to %1; %2 older items were past the record&apos;s limit and are not in it.</source>
        <translation>已导出到 %1;有 %2 项较早的内容超出了记录上限,没有包含在内。</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>已导出到 %1。</translation>
    </message>
    <message>
        <source>Disconnect before importing: the panes show one session at a time.</source>
        <translation>导入前请先断开连接:各面板一次只显示一个会话。</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>无法读取 %1:%2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1:%2</translation>
    </message>
    <message>
        <source>Imported from %1 (%2), read only. Connect to go live again; Replay sends its messages.</source>
        <translation>已从 %1(%2)导入,只读。连接后恢复实时;&quot;重放&quot;会发送其中的消息。</translation>
    </message>
    <message>
        <source>HAR</source>
        <translation>HAR</translation>
    </message>
    <message>
        <source>WsLab JSON</source>
        <translation>WsLab JSON</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n message(s), %2 frame rows</source>
        <translation>
            <numerusform>%1:%n 条消息,%2 行帧</numerusform>
        </translation>
    </message>
    <message>
        <source>No frame in the Frames pane for that event (it has none, it belongs to an earlier connection, or it was connected without the wire tap).</source>
        <translation>帧面板中没有该事件对应的帧(它没有帧、属于更早的连接,或连接时没有经过线路监听器)。</translation>
    </message>
    <message>
        <source>That frame&apos;s event is no longer in the Events pane.</source>
        <translation>这一帧对应的事件已不在事件面板中。</translation>
    </message>
    <message>
        <source>WsLab session, lossless (*.json)</source>
        <translation>WsLab 会话,无损 (*.json)</translation>
    </message>
    <message>
        <source>HAR 1.2, as Chrome saves it (*.har)</source>
        <translation>HAR 1.2,与 Chrome 保存的格式相同 (*.har)</translation>
    </message>
    <message>
        <source>Export session</source>
        <translation>导出会话</translation>
    </message>
    <message>
        <source>Import session</source>
        <translation>导入会话</translation>
    </message>
    <message>
        <source>Sessions (*.json *.har);;All files (*)</source>
        <translation>会话 (*.json *.har);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>wslab::SessionHar</name>
    <message>
        <source>not JSON: %1 at byte %2</source>
        <translation>不是 JSON:%1(在第 %2 字节)</translation>
    </message>
    <message>
        <source>log.entries: missing, so this is not a HAR file</source>
        <translation>log.entries:缺失,所以这不是 HAR 文件</translation>
    </message>
    <message>
        <source>log.entries[%1].startedDateTime: not an ISO 8601 time</source>
        <translation>log.entries[%1].startedDateTime:不是 ISO 8601 时间</translation>
    </message>
    <message>
        <source>log.entries[%1].request: missing</source>
        <translation>log.entries[%1].request:缺失</translation>
    </message>
    <message>
        <source>log.entries: no WebSocket entry (_resourceType &quot;websocket&quot;)</source>
        <translation>log.entries:没有 WebSocket 条目(_resourceType &quot;websocket&quot;)</translation>
    </message>
    <message>
        <source>_webSocketMessages[%1].type: &quot;%2&quot; is neither send nor receive</source>
        <translation>_webSocketMessages[%1].type:&quot;%2&quot; 既不是 send 也不是 receive</translation>
    </message>
    <message>
        <source>_webSocketMessages[%1].data: opcode %2 but not base64</source>
        <translation>_webSocketMessages[%1].data:操作码为 %2,但不是 base64</translation>
    </message>
</context>
<context>
    <name>wslab::SessionRecord</name>
    <message>
        <source>%1: %2</source>
        <translation>%1:%2</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>has the wrong type</source>
        <translation>类型错误</translation>
    </message>
    <message>
        <source>is not base64</source>
        <translation>不是 base64</translation>
    </message>
    <message>
        <source>unknown value &quot;%1&quot;</source>
        <translation>未知的值 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>must be [offset, length]</source>
        <translation>必须是 [offset, length]</translation>
    </message>
    <message>
        <source>not JSON: %1 at byte %2</source>
        <translation>不是 JSON:%1(在第 %2 字节)</translation>
    </message>
    <message>
        <source>format: not a WsLab session (&quot;%1&quot; expected)</source>
        <translation>format:不是 WsLab 会话(应为 &quot;%1&quot;)</translation>
    </message>
    <message>
        <source>version: %1 is not supported (this WsLab reads version %2)</source>
        <translation>version:不支持 %1(这个版本的 WsLab 只能读取版本 %2)</translation>
    </message>
</context>
<context>
    <name>wslab::SessionReplay</name>
    <message>
        <source>Replay needs an open connection: connect first.</source>
        <translation>重放需要一个已打开的连接:请先连接。</translation>
    </message>
    <message>
        <source>The record has no client → server message to replay.</source>
        <translation>记录中没有可重放的客户端 → 服务器消息。</translation>
    </message>
</context>
<context>
    <name>wslab::StepBar</name>
    <message numerus="yes">
        <source>%n chunk(s) waiting on the wire</source>
        <translation>
            <numerusform>线路上有 %n 段数据在等待</numerusform>
        </translation>
    </message>
    <message>
        <source>Step through</source>
        <translation>单步执行</translation>
    </message>
    <message>
        <source>Hold every chunk on the wire until you press Step: watch the handshake and each frame cross one at a time.</source>
        <translation>线路上的每段数据都等你按&quot;单步&quot;才放行:一次一段,看握手和每一帧如何通过。</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>继续运行</translation>
    </message>
    <message>
        <source>Let the next chunk on the wire cross.</source>
        <translation>放行线路上的下一段数据。</translation>
    </message>
    <message>
        <source>What just crossed the wire</source>
        <translation>刚刚经过线路的内容</translation>
    </message>
</context>
<context>
    <name>wslab::StepCaption</name>
    <message>
        <source>TCP is connected, and nothing has crossed yet. Next: the client&apos;s HTTP upgrade request.</source>
        <translation>TCP 已连接,还没有任何数据经过。下一步:客户端的 HTTP 升级请求。</translation>
    </message>
    <message>
        <source>The client&apos;s HTTP request crossed: %1 with Upgrade: websocket and a fresh Sec-WebSocket-Key. Next: the server&apos;s answer.</source>
        <translation>客户端的 HTTP 请求过去了:%1,带 Upgrade: websocket 和新生成的 Sec-WebSocket-Key。下一步:服务器的回答。</translation>
    </message>
    <message>
        <source>The server&apos;s 101 Switching Protocols crossed: the handshake is done. From now on this same TCP connection carries WebSocket frames, in either direction.</source>
        <translation>服务器的 101 Switching Protocols 过来了:握手完成。从现在起,同一个 TCP 连接上双向传输 WebSocket 帧。</translation>
    </message>
    <message>
        <source>The server answered %1: no WebSocket, so no frames will follow.</source>
        <translation>服务器回答了 %1:没有 WebSocket,后面不会有帧。</translation>
    </message>
    <message>
        <source>The client&apos;s Close frame crossed: the closing handshake has begun. Next: the server&apos;s Close, then TCP ends.</source>
        <translation>客户端的关闭帧过去了:关闭握手开始。下一步:服务器的关闭帧,然后 TCP 结束。</translation>
    </message>
    <message>
        <source>The server&apos;s Close frame crossed. Next: the client&apos;s Close in reply, then TCP ends.</source>
        <translation>服务器的关闭帧过来了。下一步:客户端回应关闭帧,然后 TCP 结束。</translation>
    </message>
    <message>
        <source>A %1 frame crossed from the client: %2 bytes, masked as every client frame must be.</source>
        <translation>一个 %1 帧从客户端过去了:%2 字节,和所有客户端帧一样经过掩码。</translation>
    </message>
    <message>
        <source>A %1 frame crossed from the server: %2 bytes, not masked. Nobody asked for it: the server sends when it wants.</source>
        <translation>一个 %1 帧从服务器过来了:%2 字节,没有掩码。没人请求它:服务器想发就发。</translation>
    </message>
    <message>
        <source>The client&apos;s side of TCP ended (%1).</source>
        <translation>客户端一侧的 TCP 结束了(%1)。</translation>
    </message>
    <message>
        <source>The server&apos;s side of TCP ended (%1).</source>
        <translation>服务器一侧的 TCP 结束了(%1)。</translation>
    </message>
    <message>
        <source>Encrypted TLS records crossed: with wss:// the frames are not visible.</source>
        <translation>加密的 TLS 记录经过:使用 wss:// 时看不到帧。</translation>
    </message>
    <message>
        <source>These bytes break RFC 6455 (%1): a peer would close with %2.</source>
        <translation>这些字节违反了 RFC 6455(%1):对方会以 %2 关闭连接。</translation>
    </message>
</context>
<context>
    <name>wslab::TextMatcher</name>
    <message>
        <source>regular expression: %1 at character %2</source>
        <translation>正则表达式:%1(在第 %2 个字符处)</translation>
    </message>
</context>
<context>
    <name>wslab::TlsCredentials</name>
    <message>
        <source>The certificate file %1 does not exist.</source>
        <translation>证书文件 %1 不存在。</translation>
    </message>
    <message>
        <source>The key file %1 does not exist.</source>
        <translation>密钥文件 %1 不存在。</translation>
    </message>
    <message>
        <source>Cannot read the certificate file %1: %2</source>
        <translation>无法读取证书文件 %1:%2</translation>
    </message>
    <message>
        <source>Cannot read the key file %1: %2</source>
        <translation>无法读取密钥文件 %1:%2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 KiB: not a PEM file.</source>
        <translation>%1 大于 %2 KiB,不是 PEM 文件。</translation>
    </message>
    <message>
        <source>The certificate file %1 holds a damaged certificate.</source>
        <translation>证书文件 %1 中的证书已损坏。</translation>
    </message>
    <message>
        <source>The certificate file %1 holds a private key, not a certificate: are the two files swapped?</source>
        <translation>证书文件 %1 中是私钥而不是证书:是不是把两个文件弄反了?</translation>
    </message>
    <message>
        <source>The certificate file %1 is DER, not PEM. Convert it with: openssl x509 -inform der -in %1 -out cert.pem</source>
        <translation>证书文件 %1 是 DER 格式,不是 PEM。可以这样转换:openssl x509 -inform der -in %1 -out cert.pem</translation>
    </message>
    <message>
        <source>The certificate file %1 holds no PEM certificate (a block starting with -----BEGIN CERTIFICATE-----).</source>
        <translation>证书文件 %1 中没有 PEM 证书(以 -----BEGIN CERTIFICATE----- 开头的一段)。</translation>
    </message>
    <message>
        <source>The key file %1 holds a certificate, not a private key: are the two files swapped?</source>
        <translation>密钥文件 %1 中是证书而不是私钥:是不是把两个文件弄反了?</translation>
    </message>
    <message>
        <source>The key file %1 holds no PEM private key (a block starting with -----BEGIN PRIVATE KEY-----).</source>
        <translation>密钥文件 %1 中没有 PEM 私钥(以 -----BEGIN PRIVATE KEY----- 开头的一段)。</translation>
    </message>
    <message>
        <source>The key in %1 is protected by a passphrase and none was given. Remove the passphrase with: openssl pkey -in %1 -out key-plain.pem</source>
        <translation>%1 中的密钥有口令保护,但没有提供口令。可以这样去掉口令:openssl pkey -in %1 -out key-plain.pem</translation>
    </message>
    <message>
        <source>The passphrase for the key in %1 is wrong.</source>
        <translation>%1 中密钥的口令不正确。</translation>
    </message>
    <message>
        <source>The key file %1 holds a damaged private key (%2).</source>
        <translation>密钥文件 %1 中的私钥已损坏(%2)。</translation>
    </message>
    <message>
        <source>The key in %1 is of type %2; WsLab needs an RSA or EC key. Make one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256</source>
        <translation>%1 中的密钥类型是 %2;WsLab 需要 RSA 或 EC 密钥。可以这样生成:openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256</translation>
    </message>
    <message>
        <source>TLS is not available: Qt found no OpenSSL 3 library (Debian package libssl3).</source>
        <translation>TLS 不可用:Qt 找不到 OpenSSL 3 库(Debian 软件包 libssl3)。</translation>
    </message>
    <message>
        <source>The key in %1 does not belong to the certificate in %2 (their public keys differ).</source>
        <translation>%1 中的密钥与 %2 中的证书不配对(二者的公钥不同)。</translation>
    </message>
    <message>
        <source>The key in %1 belongs to none of the %2 certificates in %3 (their public keys differ).</source>
        <translation>%1 中的密钥与 %3 中的 %2 个证书都不配对(公钥不同)。</translation>
    </message>
    <message>
        <source>The certificate is not valid before %1: is this computer&apos;s clock right?</source>
        <translation>证书在 %1 之前无效:这台计算机的时钟准确吗?</translation>
    </message>
    <message>
        <source>The certificate expired on %1: browsers will refuse it. Make a new one.</source>
        <translation>证书已于 %1 过期,浏览器会拒绝它。请重新生成一个。</translation>
    </message>
    <message>
        <source>A certificate made here is valid for 1 to %1 days, not %2.</source>
        <translation>这里生成的证书有效期为 1 到 %1 天,不能是 %2 天。</translation>
    </message>
    <message>
        <source>%1 is not an address a client can connect to: give this computer&apos;s addresses instead.</source>
        <translation>%1 不是客户端能够连接的地址:请改为提供这台计算机的地址。</translation>
    </message>
    <message>
        <source>“%1” is not a host name a certificate can hold (letters, digits, &apos;-&apos; and &apos;.&apos;).</source>
        <translation>“%1”不是证书可以包含的主机名(只能用字母、数字、“-”和“.”)。</translation>
    </message>
    <message>
        <source>A certificate needs at least one host name or IP address that clients will connect to.</source>
        <translation>证书至少需要一个客户端将要连接的主机名或 IP 地址。</translation>
    </message>
    <message>
        <source>Could not make a certificate: %1</source>
        <translation>无法生成证书:%1</translation>
    </message>
    <message>
        <source>There is no certificate and key to save.</source>
        <translation>没有可保存的证书和密钥。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <source>The RSA key in %1 has %2 bits; TLS clients refuse fewer than 2048. Make a new key and certificate.</source>
        <translation>%1 中的 RSA 密钥只有 %2 位;TLS 客户端拒绝少于 2048 位的密钥。请重新生成密钥和证书。</translation>
    </message>
</context>
<context>
    <name>wslab::TlsDescription</name>
    <message>
        <source>no name</source>
        <translation>无名称</translation>
    </message>
    <message>
        <source>TLS (an old version)</source>
        <translation>TLS(旧版本)</translation>
    </message>
    <message>
        <source>the certificate of %1</source>
        <translation>%1 的证书</translation>
    </message>
    <message>
        <source>the certificate &quot;%1&quot; of %2</source>
        <translation>%2 的证书 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>TLS refused: %1 is for %2, not for %3.</source>
        <translation>TLS 被拒绝:%1 是给 %2 用的,不是给 %3 的。</translation>
    </message>
    <message>
        <source>TLS refused: %1 expired on %2.</source>
        <translation>TLS 被拒绝:%1 已于 %2 过期。</translation>
    </message>
    <message>
        <source>TLS refused: %1 is not valid before %2.</source>
        <translation>TLS 被拒绝:%1 在 %2 之前无效。</translation>
    </message>
    <message>
        <source>TLS refused: %1 is self-signed and not among the trusted certificates.</source>
        <translation>TLS 被拒绝:%1 是自签名的,且不在受信任的证书之中。</translation>
    </message>
    <message>
        <source>TLS refused: %1 is issued by &quot;%2&quot;, an authority that is not trusted.</source>
        <translation>TLS 被拒绝:%1 由不受信任的机构 &quot;%2&quot; 颁发。</translation>
    </message>
    <message>
        <source>TLS refused: %1 has been revoked.</source>
        <translation>TLS 被拒绝:%1 已被吊销。</translation>
    </message>
    <message>
        <source>TLS refused: %1: %2.</source>
        <translation>TLS 被拒绝:%1:%2。</translation>
    </message>
</context>
<context>
    <name>wslab::UpgradeVerdict</name>
    <message>
        <source>a WebSocket handshake must use GET, not %1</source>
        <translation>WebSocket 握手必须用 GET,不能用 %1</translation>
    </message>
    <message>
        <source>this path speaks WebSocket: send Upgrade: websocket</source>
        <translation>这个路径讲 WebSocket:请发送 Upgrade: websocket</translation>
    </message>
    <message>
        <source>Connection header must contain Upgrade</source>
        <translation>Connection 头部必须包含 Upgrade</translation>
    </message>
    <message>
        <source>only Sec-WebSocket-Version: 13 is supported</source>
        <translation>只支持 Sec-WebSocket-Version: 13</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Key is missing</source>
        <translation>缺少 Sec-WebSocket-Key</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Key appears %1 times; it must appear once</source>
        <translation>Sec-WebSocket-Key 出现了 %1 次;它必须只出现一次</translation>
    </message>
    <message>
        <source>Sec-WebSocket-Key must be base64 of 16 bytes, got &quot;%1&quot;</source>
        <translation>Sec-WebSocket-Key 必须是 16 字节的 base64,收到的是 &quot;%1&quot;</translation>
    </message>
</context>
<context>
    <name>wslab::WindowMain</name>
    <message>
        <source>WsLab: see WebSocket at work.</source>
        <translation>WsLab:看 WebSocket 如何工作。</translation>
    </message>
    <message>
        <source>Port of the embedded server (default 8888; the next free one when taken; 0 for any).</source>
        <translation>内置服务器的端口(默认 8888;被占用时用下一个空闲端口;0 表示任意)。</translation>
    </message>
    <message>
        <source>Let the embedded server accept connections from the LAN (default: this machine only).</source>
        <translation>让内置服务器接受局域网连接(默认只接受本机)。</translation>
    </message>
    <message>
        <source>The URL to put in the address field (default: the embedded server&apos;s /ws).</source>
        <translation>填入地址栏的 URL(默认:内置服务器的 /ws)。</translation>
    </message>
    <message>
        <source>Connect on start (for demos).</source>
        <translation>启动时就连接(用于演示)。</translation>
    </message>
    <message>
        <source>User interface language: en or zh_CN (default: the system&apos;s).</source>
        <translation>界面语言:en 或 zh_CN(默认跟随系统)。</translation>
    </message>
    <message>
        <source>Colours: dark or light (Qt&apos;s Fusion style with a dark or light palette), or system (the desktop&apos;s own; the default).</source>
        <translation>配色:dark 或 light(Qt 的 Fusion 风格配深色或浅色调色板),或 system(桌面自己的配色;默认)。</translation>
    </message>
    <message>
        <source>--port: &quot;%1&quot; is not a port number (0 to 65535)</source>
        <translation>--port:“%1”不是端口号(0 到 65535)</translation>
    </message>
    <message>
        <source>--lang: use en or zh_CN, not &quot;%1&quot;</source>
        <translation>--lang:请用 en 或 zh_CN,而不是“%1”</translation>
    </message>
    <message>
        <source>--theme: use dark, light or system, not &quot;%1&quot;</source>
        <translation>--theme:请用 dark、light 或 system,而不是“%1”</translation>
    </message>
    <message>
        <source>Start in presentation mode: larger text and high contrast, for a projector (View → Presentation mode, Ctrl+Shift+P).</source>
        <translation>以演示模式启动:更大的字、更高的对比度,适合投影(视图 → 演示模式,Ctrl+Shift+P)。</translation>
    </message>
</context>
<context>
    <name>wslab::WireSession</name>
    <message>
        <source>insecure: the server&apos;s certificate was not verified (it would have passed).</source>
        <translation>不安全:服务器的证书没有经过校验(如果校验,本可以通过)。</translation>
    </message>
    <message>
        <source>insecure: the server&apos;s certificate was not verified; verification would have said: %1</source>
        <translation>不安全:服务器的证书没有经过校验;如果校验,结果会是:%1</translation>
    </message>
</context>
<context>
    <name>wslab::WireTap</name>
    <message>
        <source>not a CONNECT request: &quot;%1&quot;</source>
        <translation>不是 CONNECT 请求:“%1”</translation>
    </message>
    <message>
        <source>CONNECT request over %1 bytes</source>
        <translation>CONNECT 请求超过 %1 字节</translation>
    </message>
    <message>
        <source>not a CONNECT request</source>
        <translation>不是 CONNECT 请求</translation>
    </message>
    <message>
        <source>bad target %1</source>
        <translation>无效的目标 %1</translation>
    </message>
    <message>
        <source>no complete CONNECT request within %1 ms</source>
        <translation>%1 毫秒内没有收到完整的 CONNECT 请求</translation>
    </message>
    <message>
        <source>timeout</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>only %1:%2 may be tapped, not %3</source>
        <translation>线路监听器只能连接 %1:%2,不能连接 %3</translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation>无法连接 %1:%2</translation>
    </message>
    <message>
        <source>closed by the tap after the other side ended</source>
        <translation>另一端结束后,由线路监听器关闭</translation>
    </message>
    <message>
        <source>the tunnel to %1 did not open within %2 ms</source>
        <translation>到 %1 的隧道没有在 %2 毫秒内打开</translation>
    </message>
    <message>
        <source>TLS between the client and the tap failed: %1</source>
        <translation>客户端与线路监听器之间的 TLS 失败:%1</translation>
    </message>
    <message>
        <source>the client hung up during the handshake: it must trust the tap&apos;s certificate (WireSession::clientTrust())</source>
        <translation>客户端在握手时挂断了:它必须信任线路监听器的证书(WireSession::clientTrust())</translation>
    </message>
    <message>
        <source>data sent before the tunnel opened</source>
        <translation>隧道打开之前就发送了数据</translation>
    </message>
    <message>
        <source>%1 hung up right after the TLS handshake, before answering: servers that require a client certificate do this when none is presented.</source>
        <translation>%1 在 TLS 握手后、应答之前立即挂断了:要求客户端证书的服务器在没有收到证书时会这样做。</translation>
    </message>
    <message>
        <source>%1 hung up right after the TLS handshake, before answering: did it refuse the client certificate?</source>
        <translation>%1 在 TLS 握手后、应答之前立即挂断了:是不是它拒绝了客户端证书?</translation>
    </message>
    <message>
        <source>TLS with %1 failed: %2</source>
        <translation>与 %1 的 TLS 失败:%2</translation>
    </message>
</context>
</TS>
