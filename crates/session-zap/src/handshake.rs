//! The plugin → engine handshake (§1.3).
//!
//! The plugin connects to the engine address and writes
//! `L u32 BE | version u32 BE | "host:port"` with `L = 4 + len(address)`,
//! then reads exactly one byte: `0x01` accepts. The sans-I/O half
//! ([`encode`], [`parse_header`], [`parse`], [`check_ack`]) is shared by
//! [`plugin_handshake`] and the node simulator in [`crate::engine`].

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::error::{Error, Result};

/// The protocol version both sides must speak (`RPCChainVMProtocol`).
pub const PROTOCOL_VERSION: u32 = 42;

/// The byte the engine writes to accept a handshake.
pub const ACK: u8 = 0x01;

/// Longest address a handshake may carry (a parser bound, far above any
/// `host:port`).
pub const MAX_ADDR_LEN: usize = 1024;

/// A parsed handshake message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handshake {
    /// The plugin's protocol version.
    pub version: u32,
    /// The VM address the node should dial, `host:port`.
    pub vm_addr: String,
}

impl Handshake {
    /// Fails with [`Error::VersionMismatch`] unless the version is ours.
    pub fn check_version(&self) -> Result<()> {
        if self.version != PROTOCOL_VERSION {
            return Err(Error::VersionMismatch {
                got: self.version,
                expected: PROTOCOL_VERSION,
            });
        }
        Ok(())
    }
}

/// The handshake message for `vm_addr` (e.g. `127.0.0.1:40123`).
///
/// ```
/// let msg = session_zap::handshake::encode(42, "127.0.0.1:40123");
/// assert_eq!(msg[..8], [0, 0, 0, 0x13, 0, 0, 0, 0x2a]);
/// assert_eq!(&msg[8..], b"127.0.0.1:40123");
/// ```
pub fn encode(version: u32, vm_addr: &str) -> Vec<u8> {
    let len = u32::try_from(4 + vm_addr.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(8 + vm_addr.len());
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(vm_addr.as_bytes());
    out
}

/// Reads the first 8 bytes: returns the version and the address length to
/// read next. Fails if `L < 4` or the address would exceed [`MAX_ADDR_LEN`].
pub fn parse_header(header: &[u8; 8]) -> Result<(u32, usize)> {
    let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
    let version = u32::from_be_bytes([header[4], header[5], header[6], header[7]]);
    let Some(addr_len) = len.checked_sub(4) else {
        return Err(Error::Handshake(format!("length {len} is below 4")));
    };
    if addr_len as usize > MAX_ADDR_LEN {
        return Err(Error::Handshake(format!(
            "address of {addr_len} bytes exceeds {MAX_ADDR_LEN}"
        )));
    }
    Ok((version, addr_len as usize))
}

/// Parses a whole handshake message (no bytes may follow).
pub fn parse(bytes: &[u8]) -> Result<Handshake> {
    let Some((header, rest)) = bytes.split_first_chunk::<8>() else {
        return Err(Error::Handshake(format!(
            "{} bytes, need at least 8",
            bytes.len()
        )));
    };
    let (version, addr_len) = parse_header(header)?;
    if rest.len() != addr_len {
        return Err(Error::Handshake(format!(
            "address is {} bytes, header says {addr_len}",
            rest.len()
        )));
    }
    let vm_addr = std::str::from_utf8(rest)
        .map_err(|_| Error::Handshake("address is not UTF-8".into()))?
        .to_owned();
    Ok(Handshake { version, vm_addr })
}

/// Interprets what the engine answered: `Some(0x01)` accepts; EOF (`None`)
/// or any other byte is fatal.
pub fn check_ack(byte: Option<u8>) -> Result<()> {
    match byte {
        Some(ACK) => Ok(()),
        Some(other) => Err(Error::Handshake(format!(
            "engine answered 0x{other:02x}, not the ACK 0x01"
        ))),
        None => Err(Error::Handshake(
            "engine closed the connection without an ACK (version mismatch?)".into(),
        )),
    }
}

/// The plugin side: connect to `engine_addr`, announce `vm_addr`, wait for
/// the ACK, close. Everything must finish within `timeout`.
pub async fn plugin_handshake(
    engine_addr: &str,
    vm_addr: SocketAddr,
    timeout: Duration,
) -> Result<()> {
    let run = async {
        let mut stream = TcpStream::connect(engine_addr).await?;
        stream
            .write_all(&encode(PROTOCOL_VERSION, &vm_addr.to_string()))
            .await?;
        let mut ack = [0u8; 1];
        let byte = match stream.read(&mut ack).await {
            Ok(0) => None,
            Ok(_) => Some(ack[0]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => None,
            Err(e) => return Err(e.into()),
        };
        check_ack(byte)?;
        // Best effort: the node closes its side right after the ACK.
        let _ = stream.shutdown().await;
        Ok(())
    };
    tokio::time::timeout(timeout, run)
        .await
        .map_err(|_| Error::Timeout {
            what: "handshake",
            after: timeout,
        })?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_bytes() {
        let want = [
            0x00, 0x00, 0x00, 0x13, 0x00, 0x00, 0x00, 0x2a, 0x31, 0x32, 0x37, 0x2e, 0x30, 0x2e,
            0x30, 0x2e, 0x31, 0x3a, 0x34, 0x30, 0x31, 0x32, 0x33,
        ];
        assert_eq!(encode(PROTOCOL_VERSION, "127.0.0.1:40123"), want);
        let hs = parse(&want).unwrap();
        assert_eq!(
            hs,
            Handshake {
                version: 42,
                vm_addr: "127.0.0.1:40123".into()
            }
        );
        hs.check_version().unwrap();
        let addr: SocketAddr = "127.0.0.1:40123".parse().unwrap();
        assert_eq!(encode(42, &addr.to_string()), want);
    }

    #[test]
    fn bad_messages() {
        assert!(parse(&[0, 0, 0, 3, 0, 0, 0, 42]).is_err(), "L < 4");
        assert!(parse(&[0, 0, 0, 4, 0, 0, 0]).is_err(), "short header");
        assert!(
            parse(&[0, 0, 0, 6, 0, 0, 0, 42, b'a']).is_err(),
            "short addr"
        );
        assert!(
            parse(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 42]).is_err(),
            "huge"
        );
        assert!(
            parse(&[0, 0, 0, 5, 0, 0, 0, 42, 0xff]).is_err(),
            "not UTF-8"
        );
        let empty = parse(&[0, 0, 0, 4, 0, 0, 0, 41]).unwrap();
        assert_eq!(empty.vm_addr, "");
        assert!(matches!(
            empty.check_version(),
            Err(Error::VersionMismatch { got: 41, .. })
        ));
    }

    #[test]
    fn ack_logic() {
        check_ack(Some(1)).unwrap();
        assert!(check_ack(Some(0)).is_err());
        assert!(check_ack(Some(2)).is_err());
        assert!(check_ack(None).is_err());
    }
}
