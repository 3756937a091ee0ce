//! Establishing one authenticated link over TCP: TLS 1.3 with the hybrid
//! key exchange, then the identity binding. These are the building blocks
//! [`Node`](crate::Node) uses; they are public for tools and tests that need a
//! single raw link.

use std::net::SocketAddr;
use std::time::Duration;

use rustls::NamedGroup;
use session_crypto::{Identity, IdentityId, PublicIdentity};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsStream;

use crate::binding::{Dialer, Listener, Role};
use crate::error::{Error, Result};
use crate::frame::{Frame, FrameDecoder};
use crate::message::{Envelope, Handshake, Kind, Message};
use crate::tls::TlsContext;

/// Largest frame accepted before the identity binding completes (a handshake
/// frame is about 6.5 KB).
pub const HANDSHAKE_MAX_FRAME: usize = 8 * 1024;

/// Read buffer size.
pub(crate) const READ_CHUNK: usize = 64 * 1024;

/// An authenticated link, ready for frames.
pub struct Established {
    /// The TLS stream.
    pub stream: TlsStream<TcpStream>,
    /// The peer's proven identity.
    pub peer: PublicIdentity,
    /// Our role on this link.
    pub role: Role,
    /// The peer's socket address.
    pub remote: SocketAddr,
    /// The negotiated TLS key-exchange group.
    pub kx_group: Option<NamedGroup>,
    /// Bytes already read past the handshake (hand it to the link's reader).
    pub decoder: FrameDecoder,
}

impl std::fmt::Debug for Established {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Established")
            .field("peer", &self.peer.id())
            .field("role", &self.role)
            .field("remote", &self.remote)
            .field("kx_group", &self.kx_group)
            .finish_non_exhaustive()
    }
}

/// Reads one frame, buffering any surplus in `decoder`.
pub async fn read_frame<S: AsyncRead + Unpin>(
    stream: &mut S,
    decoder: &mut FrameDecoder,
) -> Result<Frame> {
    let mut buf = [0u8; 4096];
    loop {
        if let Some(frame) = decoder.next_frame()? {
            return Ok(frame);
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(Error::Disconnected);
        }
        decoder.feed(&buf[..n])?;
    }
}

/// Encodes and writes one envelope, then flushes.
pub async fn write_envelope<S: AsyncWrite + Unpin>(stream: &mut S, env: &Envelope) -> Result<()> {
    stream.write_all(&env.encode()?).await?;
    stream.flush().await?;
    Ok(())
}

async fn read_handshake<S: AsyncRead + Unpin>(
    stream: &mut S,
    decoder: &mut FrameDecoder,
) -> Result<Handshake> {
    match Envelope::decode(read_frame(stream, decoder).await?)? {
        Envelope {
            kind: Kind::OneWay,
            message: Message::Handshake(h),
        } => Ok(h),
        _ => Err(Error::Protocol("expected a handshake")),
    }
}

/// Opens TCP (within `connect_timeout`) and runs TLS and the binding as the
/// dialer (within `handshake_timeout`). The peer must prove `expected`.
pub async fn dial(
    tls: &TlsContext,
    identity: &Identity,
    addr: SocketAddr,
    expected: IdentityId,
    connect_timeout: Duration,
    handshake_timeout: Duration,
) -> Result<Established> {
    let tcp = tokio::time::timeout(connect_timeout, TcpStream::connect(addr))
        .await
        .map_err(|_| Error::ConnectTimeout)??;
    tcp.set_nodelay(true)?;
    tokio::time::timeout(handshake_timeout, dial_on(tls, identity, tcp, expected))
        .await
        .map_err(|_| Error::HandshakeTimeout)?
}

/// TLS and binding as the dialer over an open TCP stream (no timeout).
pub async fn dial_on(
    tls: &TlsContext,
    identity: &Identity,
    tcp: TcpStream,
    expected: IdentityId,
) -> Result<Established> {
    let remote = tcp.peer_addr()?;
    let mut stream = tls
        .connector()
        .connect(TlsContext::server_name(), tcp)
        .await?;
    let (dialer, hello) = Dialer::start(identity, expected, &**stream.get_ref().1)?;
    write_envelope(
        &mut stream,
        &Envelope::new(Kind::OneWay, Message::Handshake(hello)),
    )
    .await?;
    let mut decoder = FrameDecoder::new(HANDSHAKE_MAX_FRAME);
    let reply = read_handshake(&mut stream, &mut decoder).await?;
    let peer = dialer.finish(&reply, &**stream.get_ref().1)?;
    let kx_group = stream
        .get_ref()
        .1
        .negotiated_key_exchange_group()
        .map(|g| g.name());
    Ok(Established {
        stream: TlsStream::Client(stream),
        peer,
        role: Role::Dialer,
        remote,
        kx_group,
        decoder,
    })
}

/// TLS and binding as the listener over an accepted TCP stream (no timeout:
/// wrap it in one). A dialer that addressed another node gets our signed
/// answer (so it learns whom it reached) and then
/// [`Error::NotAddressedToUs`].
pub async fn accept(tls: &TlsContext, identity: &Identity, tcp: TcpStream) -> Result<Established> {
    let remote = tcp.peer_addr()?;
    tcp.set_nodelay(true)?;
    let mut stream = tls.acceptor().accept(tcp).await?;
    let mut decoder = FrameDecoder::new(HANDSHAKE_MAX_FRAME);
    let hello = read_handshake(&mut stream, &mut decoder).await?;
    let answer = Listener::answer(identity, &hello, &**stream.get_ref().1)?;
    write_envelope(
        &mut stream,
        &Envelope::new(Kind::OneWay, Message::Handshake(answer.reply)),
    )
    .await?;
    if !answer.addressed_to_us {
        let _ = stream.shutdown().await;
        return Err(Error::NotAddressedToUs {
            addressed: hello.listener,
        });
    }
    let kx_group = stream
        .get_ref()
        .1
        .negotiated_key_exchange_group()
        .map(|g| g.name());
    Ok(Established {
        stream: TlsStream::Server(stream),
        peer: answer.dialer,
        role: Role::Listener,
        remote,
        kx_group,
        decoder,
    })
}
