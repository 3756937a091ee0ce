//! A tiny HTTP/1.1 client for oracle I/O: `http://` and `https://` (TLS in
//! the private `tls` module: rustls, `webpki-roots` plus extra CA files), one
//! request per connection, bounded response size and time.
//!
//! The response body may come with `Content-Length`, in chunked transfer
//! coding (other transfer codings are refused), or end at connection close
//! (over TLS, with a `close_notify`). Only `2xx` answers count. The time
//! limit covers connect, TLS handshake and the whole exchange.
//!
//! ```no_run
//! # async fn demo() -> Result<(), session_daemon::http::HttpError> {
//! use std::time::Duration;
//! use session_daemon::http::HttpClient;
//!
//! let client = HttpClient::with_ca_files(&["/etc/sessiond/oracle-ca.pem"])?;
//! let body = client
//!     .get("https://prices.internal/btc", 256 * 1024, Duration::from_secs(5))
//!     .await?;
//! # let _ = body; Ok(()) }
//! ```

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

mod chunked;
mod tls;

/// Largest response head (status line and headers), in bytes.
pub const MAX_HEAD_LEN: usize = 16 * 1024;

/// Why an HTTP exchange failed (a plain message: it ends up in logs and in
/// a missing oracle record, never in consensus data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError(pub String);

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HttpError {}

fn err(msg: impl Into<String>) -> HttpError {
    HttpError(msg.into())
}

/// The parts of an `http(s)://host[:port][/path]` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// `https://` (TLS) rather than `http://`.
    pub tls: bool,
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port (80 or 443 if absent).
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl HttpUrl {
    /// Parses an `http://` or `https://` URL; any other scheme is refused.
    pub fn parse(url: &str) -> Result<Self, HttpError> {
        let (tls, rest) = if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else {
            return Err(err("only http:// and https:// URLs are supported"));
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(err("bad URL authority"));
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                (h, p.parse().map_err(|_| err("bad URL port"))?)
            }
            _ => (authority, if tls { 443 } else { 80 }),
        };
        let bad = |c: char| c.is_ascii_control() || c == ' ';
        if host.is_empty() || host.chars().any(bad) || path.chars().any(bad) {
            return Err(err("bad characters in URL"));
        }
        Ok(HttpUrl {
            tls,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path: path.to_owned(),
        })
    }

    /// The `Host` header's value.
    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        if self.port == if self.tls { 443 } else { 80 } {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

/// The oracle HTTP client: which CAs `https://` trusts. Cheap to clone.
#[derive(Clone)]
pub struct HttpClient {
    tls: Result<Arc<rustls::ClientConfig>, HttpError>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient").finish_non_exhaustive()
    }
}

impl Default for HttpClient {
    /// Trusts the `webpki-roots` set only.
    fn default() -> Self {
        HttpClient {
            tls: tls::default_config(),
        }
    }
}

impl HttpClient {
    /// Trusts the `webpki-roots` set plus every certificate in the PEM files
    /// `ca_files` (unreadable files or files without certificates are errors).
    pub fn with_ca_files(ca_files: &[impl AsRef<Path>]) -> Result<Self, HttpError> {
        if ca_files.is_empty() {
            return Ok(Self::default());
        }
        let paths: Vec<&Path> = ca_files.iter().map(AsRef::as_ref).collect();
        Ok(HttpClient {
            tls: Ok(tls::client_config(&paths)?),
        })
    }

    /// GETs `url`; returns the body (at most `max_body` bytes).
    pub async fn get(
        &self,
        url: &str,
        max_body: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, HttpError> {
        self.exchange("GET", url, &[], &[], max_body, timeout).await
    }

    /// POSTs `body` (`Content-Type: content_type`) to `url` with extra
    /// headers; returns the response body.
    pub async fn post(
        &self,
        url: &str,
        content_type: &str,
        headers: &[(&str, String)],
        body: &[u8],
        max_body: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, HttpError> {
        let mut all = vec![("Content-Type", content_type.to_owned())];
        all.extend(headers.iter().cloned());
        self.exchange("POST", url, &all, body, max_body, timeout)
            .await
    }

    async fn exchange(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: &[u8],
        max_body: usize,
        timeout: Duration,
    ) -> Result<Vec<u8>, HttpError> {
        let url = HttpUrl::parse(url)?;
        let mut head = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nUser-Agent: sessiond\r\n",
            url.path,
            url.host_header()
        );
        if method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        for (name, value) in headers {
            if value.chars().any(|c| c.is_ascii_control()) {
                return Err(err("bad header value"));
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        tokio::time::timeout(timeout, async {
            let tcp = TcpStream::connect((url.host.as_str(), url.port))
                .await
                .map_err(|e| err(format!("connect: {e}")))?;
            if url.tls {
                let config = self.tls.clone()?;
                let mut stream = tls::connect(config, &url.host, tcp).await?;
                talk(&mut stream, head.as_bytes(), body, max_body).await
            } else {
                let mut stream = tcp;
                talk(&mut stream, head.as_bytes(), body, max_body).await
            }
        })
        .await
        .map_err(|_| err("timed out"))?
    }
}

/// GETs `url` with the default client (see [`HttpClient::get`]).
pub async fn get(url: &str, max_body: usize, timeout: Duration) -> Result<Vec<u8>, HttpError> {
    HttpClient::default().get(url, max_body, timeout).await
}

/// POSTs `body` as `application/octet-stream` with the default client (see
/// [`HttpClient::post`]).
pub async fn post(
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    max_body: usize,
    timeout: Duration,
) -> Result<Vec<u8>, HttpError> {
    HttpClient::default()
        .post(
            url,
            "application/octet-stream",
            headers,
            body,
            max_body,
            timeout,
        )
        .await
}

async fn talk<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    head: &[u8],
    body: &[u8],
    max_body: usize,
) -> Result<Vec<u8>, HttpError> {
    let write = |e: std::io::Error| err(format!("write: {e}"));
    stream.write_all(head).await.map_err(write)?;
    stream.write_all(body).await.map_err(write)?;
    stream.flush().await.map_err(write)?;
    read_response(stream, max_body).await
}

/// One read from `stream` (0 at its end).
async fn read_some<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut [u8],
) -> Result<usize, HttpError> {
    stream
        .read(buf)
        .await
        .map_err(|e| err(format!("read: {e}")))
}

async fn read_response<S: AsyncRead + Unpin>(
    stream: &mut S,
    max_body: usize,
) -> Result<Vec<u8>, HttpError> {
    let limit = MAX_HEAD_LEN.saturating_add(max_body);
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        if buf.len() > MAX_HEAD_LEN {
            return Err(err("response head too large"));
        }
        let n = read_some(stream, &mut chunk).await?;
        if n == 0 {
            return Err(err("connection closed before the response head"));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| err("response head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| err("bad status line"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let (name, value) = line.split_once(':').ok_or_else(|| err("bad header"))?;
        let (name, value) = (name.trim(), value.trim());
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| err("bad content-length"))?,
            );
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // We ask for no compression, so `chunked` is the only coding.
            if !value.eq_ignore_ascii_case("chunked") {
                return Err(err(format!("unsupported transfer-encoding {value:?}")));
            }
            chunked = true;
        }
    }
    if !(200..300).contains(&status) {
        return Err(err(format!("HTTP status {status}")));
    }
    let mut body = buf.split_off(head_end + 4);
    if chunked {
        // Transfer-Encoding wins over any Content-Length (RFC 9112 §6.3).
        let mut decoder = chunked::Chunked::new(max_body);
        let mut pending = body;
        loop {
            decoder.feed(&pending)?;
            if decoder.is_done() {
                return Ok(decoder.into_body());
            }
            let n = read_some(stream, &mut chunk).await?;
            if n == 0 {
                return Err(err("connection closed inside the chunked body"));
            }
            pending = chunk[..n].to_vec();
        }
    }
    if length.is_some_and(|l| l > max_body) {
        return Err(err("response body too large"));
    }
    loop {
        if body.len() > max_body || buf.len() + body.len() > limit {
            return Err(err("response body too large"));
        }
        if length.is_some_and(|l| body.len() >= l) {
            break;
        }
        let n = read_some(stream, &mut chunk).await?;
        if n == 0 {
            if length.is_some() {
                return Err(err("connection closed before the whole body"));
            }
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    if let Some(l) = length {
        body.truncate(l);
    }
    Ok(body)
}

/// Fuzzing entry point: parses `bytes` as a whole response (head, then a
/// body by length, chunked, or to the end) with a 64-byte body limit.
#[doc(hidden)]
pub fn fuzz_response(bytes: &[u8]) {
    use std::future::Future;
    use std::task::{Context, Poll, Waker};
    let mut reader = bytes;
    let mut future = std::pin::pin!(read_response(&mut reader, 64));
    // An in-memory reader never waits: the first poll finishes.
    let mut cx = Context::from_waker(Waker::noop());
    if let Poll::Ready(Ok(body)) = future.as_mut().poll(&mut cx) {
        assert!(body.len() <= 64, "body over its limit");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = HttpUrl::parse("http://127.0.0.1:8080/a?b=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", 8080, "/a?b=1")
        );
        let u = HttpUrl::parse("http://example.com").unwrap();
        assert_eq!((u.port, u.path.as_str()), (80, "/"));
        let u = HttpUrl::parse("https://example.com/p").unwrap();
        assert_eq!(
            (u.tls, u.port, u.host_header()),
            (true, 443, "example.com".into())
        );
        let u = HttpUrl::parse("https://[::1]:8443").unwrap();
        assert_eq!((u.host.as_str(), u.port), ("::1", 8443));
        assert_eq!(u.host_header(), "[::1]:8443");
        assert!(!HttpUrl::parse("http://h:80/").unwrap().tls);
        for bad in [
            "ftp://x",
            "HTTPS//x",
            "https://",
            "http://",
            "http://a:b/",
            "http://u@h/",
            "http://h/a b",
            "http://h/\r\nX: y",
        ] {
            assert!(HttpUrl::parse(bad).is_err(), "{bad}");
        }
    }

    /// Serves one canned response per connection.
    async fn serve(response: &'static [u8], delay: Duration) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = s.read(&mut buf).await;
                    tokio::time::sleep(delay).await;
                    let _ = s.write_all(response).await;
                });
            }
        });
        format!("http://{addr}/x")
    }

    #[tokio::test]
    async fn responses_are_checked_and_bounded() {
        let t = Duration::from_secs(2);
        // Each canned response, with the body it must give or a piece of
        // the error it must fail with (body limit 16 bytes).
        type Case = (&'static [u8], Result<&'static [u8], &'static str>);
        let cases: [Case; 11] = [
            (b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n42", Ok(b"42")),
            (b"HTTP/1.0 200 OK\r\n\r\nuntil close", Ok(b"until close")),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
                Err("too large"),
            ),
            (
                b"HTTP/1.1 200 OK\r\n\r\n0123456789abcdefXYZ",
                Err("too large"),
            ),
            (
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
                Err("404"),
            ),
            // Transfer-Encoding wins over Content-Length.
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n1\r\n4\r\n1;x=y\r\n2\r\n0\r\nX-T: 1\r\n\r\n",
                Ok(b"42"),
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11\r\n",
                Err("too large"),
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n42",
                Err("inside the chunked body"),
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                Err("unsupported transfer-encoding"),
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n42",
                Err("before the whole body"),
            ),
            (b"garbage\r\n\r\n", Err("bad status line")),
        ];
        for (response, want) in cases {
            let url = serve(response, Duration::ZERO).await;
            let got = get(&url, 16, t).await;
            match (got, want) {
                (Ok(body), Ok(want)) => assert_eq!(body, want),
                (Err(e), Err(want)) => assert!(e.0.contains(want), "{}: {e}", want),
                (got, want) => panic!("{response:?}: got {got:?}, want {want:?}"),
            }
        }
        let ok = serve(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n42",
            Duration::ZERO,
        )
        .await;
        assert_eq!(post(&ok, &[], b"body", 16, t).await.unwrap(), b"42");
        assert!(
            post(&ok, &[("X-Bad", "a\r\nb".into())], b"", 16, t)
                .await
                .is_err()
        );
        let slow = serve(b"HTTP/1.1 200 OK\r\n\r\n", Duration::from_secs(5)).await;
        let err = get(&slow, 16, Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(err.0.contains("timed out"));
    }
}
