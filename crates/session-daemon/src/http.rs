//! A tiny HTTP/1.1 client for oracle I/O: `http://` only (no TLS yet), one
//! request per connection, bounded response size and time.
//!
//! The response body must come with `Content-Length` or end at connection
//! close; chunked transfer encoding is refused. Only `2xx` answers count.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

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

/// The parts of an `http://host[:port][/path]` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// Host name or address.
    pub host: String,
    /// Port (80 if absent).
    pub port: u16,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl HttpUrl {
    /// Parses an `http://` URL; anything else (including `https://`) is refused.
    pub fn parse(url: &str) -> Result<Self, HttpError> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| err("only http:// URLs are supported"))?;
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
            _ => (authority, 80),
        };
        let bad = |c: char| c.is_ascii_control() || c == ' ';
        if host.is_empty() || host.chars().any(bad) || path.chars().any(bad) {
            return Err(err("bad characters in URL"));
        }
        Ok(HttpUrl {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port,
            path: path.to_owned(),
        })
    }
}

/// GETs `url`; returns the body (at most `max_body` bytes).
pub async fn get(url: &str, max_body: usize, timeout: Duration) -> Result<Vec<u8>, HttpError> {
    exchange("GET", url, &[], &[], max_body, timeout).await
}

/// POSTs `body` to `url` with extra headers; returns the response body.
pub async fn post(
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    max_body: usize,
    timeout: Duration,
) -> Result<Vec<u8>, HttpError> {
    exchange("POST", url, headers, body, max_body, timeout).await
}

async fn exchange(
    method: &str,
    url: &str,
    headers: &[(&str, String)],
    body: &[u8],
    max_body: usize,
    timeout: Duration,
) -> Result<Vec<u8>, HttpError> {
    let url = HttpUrl::parse(url)?;
    tokio::time::timeout(timeout, async {
        let mut stream = TcpStream::connect((url.host.as_str(), url.port))
            .await
            .map_err(|e| err(format!("connect: {e}")))?;
        let mut head = format!(
            "{method} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nUser-Agent: sessiond\r\n",
            url.path, url.host
        );
        if method == "POST" {
            head.push_str(&format!(
                "Content-Type: application/octet-stream\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        for (name, value) in headers {
            if value.chars().any(|c| c.is_ascii_control()) {
                return Err(err("bad header value"));
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| err(format!("write: {e}")))?;
        stream
            .write_all(body)
            .await
            .map_err(|e| err(format!("write: {e}")))?;
        read_response(&mut stream, max_body).await
    })
    .await
    .map_err(|_| err("timed out"))?
}

async fn read_response(stream: &mut TcpStream, max_body: usize) -> Result<Vec<u8>, HttpError> {
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
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| err(format!("read: {e}")))?;
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
            return Err(err("chunked responses are not supported"));
        }
    }
    if !(200..300).contains(&status) {
        return Err(err(format!("HTTP status {status}")));
    }
    if length.is_some_and(|l| l > max_body) {
        return Err(err("response body too large"));
    }
    let mut body = buf.split_off(head_end + 4);
    loop {
        if body.len() > max_body || buf.len() + body.len() > limit {
            return Err(err("response body too large"));
        }
        if length.is_some_and(|l| body.len() >= l) {
            break;
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| err(format!("read: {e}")))?;
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
        for bad in [
            "https://example.com/",
            "ftp://x",
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
        let ok = serve(
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n42",
            Duration::ZERO,
        )
        .await;
        assert_eq!(get(&ok, 16, t).await.unwrap(), b"42");
        assert_eq!(post(&ok, &[], b"body", 16, t).await.unwrap(), b"42");
        let close = serve(b"HTTP/1.0 200 OK\r\n\r\nuntil close", Duration::ZERO).await;
        assert_eq!(get(&close, 16, t).await.unwrap(), b"until close");
        let big = serve(
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n",
            Duration::ZERO,
        )
        .await;
        assert!(get(&big, 16, t).await.unwrap_err().0.contains("too large"));
        let big_close = serve(
            b"HTTP/1.1 200 OK\r\n\r\n0123456789abcdefXYZ",
            Duration::ZERO,
        )
        .await;
        assert!(
            get(&big_close, 16, t)
                .await
                .unwrap_err()
                .0
                .contains("too large")
        );
        let missing = serve(
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
            Duration::ZERO,
        )
        .await;
        assert!(get(&missing, 16, t).await.unwrap_err().0.contains("404"));
        let chunked = serve(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n42\r\n0\r\n\r\n",
            Duration::ZERO,
        )
        .await;
        assert!(
            get(&chunked, 16, t)
                .await
                .unwrap_err()
                .0
                .contains("chunked")
        );
        let short = serve(
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n42",
            Duration::ZERO,
        )
        .await;
        assert!(get(&short, 16, t).await.is_err());
        let junk = serve(b"garbage\r\n\r\n", Duration::ZERO).await;
        assert!(get(&junk, 16, t).await.is_err());
        let slow = serve(b"HTTP/1.1 200 OK\r\n\r\n", Duration::from_secs(5)).await;
        let err = get(&slow, 16, Duration::from_millis(100))
            .await
            .unwrap_err();
        assert!(err.0.contains("timed out"));
        assert!(
            post(&ok, &[("X-Bad", "a\r\nb".into())], b"", 16, t)
                .await
                .is_err()
        );
    }
}
