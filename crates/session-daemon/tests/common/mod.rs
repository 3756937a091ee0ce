//! Shared pieces of the daemon's integration tests.
#![allow(dead_code)]

use tokio::io::{AsyncRead, AsyncReadExt};

/// One HTTP/1.1 request as a test server reads it.
pub(crate) struct Request {
    /// Request line and headers.
    pub(crate) head: String,
    /// The body (`Content-Length` bytes).
    pub(crate) body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (case-insensitive), or empty.
    pub(crate) fn header(&self, name: &str) -> String {
        self.head
            .lines()
            .find_map(|l| {
                let (n, v) = l.split_once(':')?;
                n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
            })
            .unwrap_or_default()
    }
}

/// Reads one request (head, then a `Content-Length` body); `None` if the
/// peer closes or fails first.
pub(crate) async fn read_request(stream: &mut (impl AsyncRead + Unpin)) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let mut request = Request {
        head: String::from_utf8_lossy(&buf[..end]).into_owned(),
        body: buf[end + 4..].to_vec(),
    };
    let len: usize = request.header("content-length").parse().unwrap_or(0);
    while request.body.len() < len {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => request.body.extend_from_slice(&chunk[..n]),
        }
    }
    Some(request)
}
