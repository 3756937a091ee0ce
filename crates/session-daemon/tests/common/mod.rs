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

/// `read_external <base>/price → compute(median) → write_external <base>/out`.
pub(crate) fn price_pipeline(base: &str) -> Vec<session_core::StepKind> {
    use session_core::StepKind;
    vec![
        StepKind::ReadExternal {
            url: format!("{base}/price"),
        },
        StepKind::Compute {
            function: "median".into(),
            args: Vec::new(),
        },
        StepKind::WriteExternal {
            url: format!("{base}/out"),
            payload: Vec::new(),
        },
    ]
}

/// One daemon per store on loopback, all in one genesis registry (fixed
/// identities, so every run assigns the same committees), each configured by
/// `configure(index, config)`, connected to each other; returns once every
/// node sees all the others.
pub(crate) async fn cluster(
    stores: Vec<std::sync::Arc<dyn session_store::Store>>,
    token: &session_net::CancellationToken,
    configure: impl Fn(usize, &mut session_daemon::DaemonConfig),
) -> (Vec<session_daemon::Daemon>, session_core::CommitteeKeys) {
    use session_daemon::{Daemon, DaemonConfig, Registry};
    let n = u8::try_from(stores.len()).expect("at most 255 nodes");
    let identities: Vec<session_crypto::Identity> = (0..n)
        .map(|i| session_crypto::Identity::from_seeds(&[i + 1; 64], &[i + 1; 32]))
        .collect();
    let keys: session_core::CommitteeKeys = identities.iter().map(|i| i.public().clone()).collect();
    let registry = Registry::genesis(
        identities.iter().map(|i| i.public().clone()),
        session_core::hash(b"epoch-1"),
    )
    .expect("a valid genesis registry");
    let mut daemons = Vec::new();
    for ((i, identity), store) in identities.into_iter().enumerate().zip(stores) {
        let mut config = DaemonConfig::listening_on("127.0.0.1:0".parse().expect("an address"));
        configure(i, &mut config);
        let d = Daemon::start(identity, store, registry.clone(), config, token.clone())
            .await
            .expect("the daemon starts");
        daemons.push(d);
    }
    for i in 0..daemons.len() {
        for j in i + 1..daemons.len() {
            let b = daemons[j].net();
            daemons[i]
                .net()
                .connect(b.local_addr(), b.id())
                .await
                .expect("loopback connect");
        }
    }
    for d in &daemons {
        eventually(|| d.net().peers().len() == daemons.len() - 1, 200).await;
        assert_eq!(d.net().peers().len(), daemons.len() - 1);
    }
    (daemons, keys)
}

/// Polls `done` every 10 ms, at most `tries` times; returns its last answer.
pub(crate) async fn eventually(mut done: impl FnMut() -> bool, tries: usize) -> bool {
    for _ in 0..tries {
        if done() {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    done()
}
