#![allow(missing_docs, clippy::unwrap_used)]
//! ZAP hot paths: frame encode/decode, message codecs, and a full round trip
//! (node simulator → plugin server → reply) over loopback TCP.

use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use session_zap::engine::EngineClient;
use session_zap::wire::*;
use session_zap::{PluginVm, VmError, VmResult, serve};

fn block(n: usize) -> Block {
    Block {
        id: [1; 32],
        parent_id: [2; 32],
        bytes: vec![7; n],
        height: 42,
        timestamp: 1_700_000_000_000_000_000,
    }
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    g.bench_function("encode_health_reply", |b| {
        b.iter(|| {
            let mut w = Writer::for_frame();
            HealthResponse {
                details: br#"{"healthy":true}"#.to_vec(),
            }
            .write(&mut w);
            w.into_frame(Opcode::Health.reply_type(), 7).unwrap()
        });
    });
    g.bench_function("encode_block_reply_1KiB", |b| {
        let resp = BlockResponse::ok(block(1024));
        b.iter(|| {
            let mut w = Writer::for_frame();
            resp.write(&mut w);
            w.into_frame(Opcode::GetBlock.reply_type(), 7).unwrap()
        });
    });

    let mut stream = Vec::new();
    for i in 0..1000u32 {
        encode_frame_into(&mut stream, Opcode::Health.as_u8(), i, &[]).unwrap();
    }
    g.throughput(Throughput::Elements(1000));
    g.bench_function("decode_1000_health_requests", |b| {
        b.iter(|| {
            let mut d = FrameDecoder::new();
            d.feed(&stream);
            let mut n = 0;
            while let Some(f) = d.next_frame().unwrap() {
                n += f.body.len() + 1;
            }
            n
        });
    });
    g.bench_function("decode_1000_health_requests_in_4KiB_reads", |b| {
        b.iter(|| {
            let mut d = FrameDecoder::new();
            let mut n = 0;
            for chunk in stream.chunks(4096) {
                d.feed(chunk);
                while let Some(f) = d.next_frame().unwrap() {
                    n += f.body.len() + 1;
                }
            }
            n
        });
    });
    g.finish();

    let mut g = c.benchmark_group("msg");
    let body = BlockResponse::ok(block(1024)).encode();
    g.bench_function("decode_block_reply_1KiB", |b| {
        b.iter(|| BlockResponse::decode_exact(&body).unwrap());
    });
    let verify = BlockVerifyRequest {
        bytes: vec![3; 1024],
        p_chain_height: None,
    }
    .encode();
    g.bench_function("decode_request_block_verify_1KiB", |b| {
        b.iter(|| Request::decode(Opcode::BlockVerify, &verify).unwrap());
    });
    let init = InitializeRequest {
        network_id: 1337,
        chain_id: [1; 32],
        genesis: vec![b'{'; 4096],
        chain_data_dir: "/home/user/.lux/chainData/abc".into(),
        extensions: Some(InitializeExtensions::default()),
        ..Default::default()
    }
    .encode();
    g.bench_function("decode_request_initialize_4KiB_genesis", |b| {
        b.iter(|| Request::decode(Opcode::Initialize, &init).unwrap());
    });
    g.finish();
}

/// The least VM that answers Health, GetBlock and BlockVerify.
struct BenchVm {
    block: Block,
}

impl PluginVm for BenchVm {
    async fn initialize(&self, _: InitializeRequest) -> VmResult<InitializeResponse> {
        Ok(InitializeResponse::default())
    }
    async fn set_state(&self, _: VmState) -> VmResult<()> {
        Ok(())
    }
    async fn shutdown(&self) -> VmResult<()> {
        Ok(())
    }
    async fn create_handlers(&self) -> VmResult<Vec<Handler>> {
        Ok(vec![])
    }
    async fn wait_for_event(&self) -> VmResult<Event> {
        std::future::pending().await
    }
    async fn build_block(&self, _: BuildBlockRequest) -> VmResult<Block> {
        Err(VmError::failed("no"))
    }
    async fn parse_block(&self, _: Vec<u8>) -> VmResult<Block> {
        Ok(self.block.clone())
    }
    async fn get_block(&self, _: Id) -> VmResult<Block> {
        Ok(self.block.clone())
    }
    async fn set_preference(&self, _: Id) -> VmResult<()> {
        Ok(())
    }
    async fn version(&self) -> VmResult<String> {
        Ok("bench".into())
    }
    async fn get_block_id_at_height(&self, _: u64) -> VmResult<Id> {
        Ok([0; 32])
    }
    async fn block_verify(&self, _: BlockVerifyRequest) -> VmResult<()> {
        Ok(())
    }
    async fn block_accept(&self, _: Id) -> VmResult<()> {
        Ok(())
    }
    async fn block_reject(&self, _: Id) -> VmResult<()> {
        Ok(())
    }
}

fn round_trip(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let client = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let vm = Arc::new(BenchVm { block: block(1024) });
        tokio::spawn(serve(vm, listener, std::future::pending()));
        let client = Arc::new(EngineClient::connect(addr).await.unwrap());
        // A WaitForEvent stays pending throughout, as with a real node.
        let pending = client.start_wait_for_event().await.unwrap();
        std::mem::forget(pending);
        client
    });

    let mut g = c.benchmark_group("loopback");
    g.bench_function("health_round_trip", |b| {
        b.iter(|| rt.block_on(client.health()).unwrap());
    });
    g.bench_function("get_block_1KiB_round_trip", |b| {
        b.iter(|| rt.block_on(client.get_block([1; 32])).unwrap());
    });
    let bytes = vec![5u8; 1024];
    g.bench_function("block_verify_1KiB_round_trip", |b| {
        b.iter(|| rt.block_on(client.block_verify(&bytes)).unwrap());
    });
    g.throughput(Throughput::Elements(64));
    g.bench_function("health_64_concurrent", |b| {
        b.iter_batched(
            || (),
            |()| {
                rt.block_on(async {
                    let calls = (0..64).map(|_| {
                        let client = client.clone();
                        tokio::spawn(async move { client.health().await })
                    });
                    for r in futures_util::future::join_all(calls).await {
                        r.unwrap().unwrap();
                    }
                });
            },
            BatchSize::SmallInput,
        );
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = frames, round_trip
}
criterion_main!(benches);
