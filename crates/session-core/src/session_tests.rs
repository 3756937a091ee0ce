use super::*;
use crate::hash::hash;

fn committee() -> Vec<Id> {
    vec![hash(b"node-1"), hash(b"node-2"), hash(b"node-3")]
}

fn session() -> Session {
    Session::new(hash(b"my-service"), 1, hash(b"tx-001"), committee()).unwrap()
}

fn read() -> StepKind {
    StepKind::ReadExternal {
        url: "https://example.com/a".into(),
    }
}

fn compute() -> StepKind {
    StepKind::Compute {
        function: "sum".into(),
        args: vec![1, 2, 3],
    }
}

#[test]
fn id_is_the_reference_derivation() {
    let s = session();
    assert_eq!(
        s.id.to_hex(),
        // core.json session_id[0]
        "8900db63f84f121bddf51007dc2ae3d6d6aad63ace83f5832995d9184b0f658f"
    );
    assert_eq!(s.state, SessionState::Pending);
}

#[test]
fn transition_table() {
    use SessionState::*;
    let all = [Pending, Running, WaitingIo, Finalized, Failed];
    let legal = [
        (Pending, Running),
        (Pending, Failed),
        (Running, WaitingIo),
        (Running, Finalized),
        (Running, Failed),
        (WaitingIo, Running),
        (WaitingIo, Failed),
    ];
    for from in all {
        for to in all {
            assert_eq!(
                from.can_transition_to(to),
                legal.contains(&(from, to)),
                "{from} -> {to}"
            );
        }
    }
    assert_eq!(
        Pending.transition(Finalized),
        Err(Error::IllegalTransition {
            from: "pending",
            to: "finalized"
        })
    );
    assert_eq!(WaitingIo.transition(Running), Ok(Running));
    let mut s = session();
    s.start().unwrap();
    assert!(s.start().is_err());
}

#[test]
fn full_lifecycle() {
    let mut s = session();
    let tx = hash(b"tx-step");
    assert_eq!(s.add_step(compute(), tx, hash(b"in0")).unwrap(), 0);
    assert_eq!(s.add_step(read(), tx, hash(b"in1")).unwrap(), 1);
    s.start().unwrap();

    // Compute step.
    assert_eq!(s.begin_step().unwrap(), None);
    assert!(s.begin_step().is_err(), "already started");
    assert!(
        s.complete_step(hash(b"o"), Some(hash(b"r")), Some(hash(b"a")))
            .is_err(),
        "compute steps carry no oracle commit"
    );
    s.complete_step(hash(b"out0"), None, None).unwrap();
    s.validate().unwrap();

    // I/O step.
    let req = s.begin_step().unwrap().unwrap();
    assert!(
        s.start().is_err(),
        "waiting_io -> running only by completing the step"
    );
    assert_eq!(req, s.request_id(1, 0, &tx));
    assert_eq!(s.state, SessionState::WaitingIo);
    s.validate().unwrap();
    let req2 = s.retry_step().unwrap();
    assert_eq!(req2, s.request_id(1, 1, &tx));
    assert_ne!(req, req2);
    assert!(s.complete_step(hash(b"out1"), None, None).is_err());
    assert!(s.finalize(Id::ZERO, Id::ZERO, Id::ZERO).is_err());
    s.complete_step(hash(b"out1"), Some(hash(b"root")), Some(hash(b"att")))
        .unwrap();
    assert_eq!(s.state, SessionState::Running);
    assert!(s.begin_step().is_err(), "no steps remain");

    s.finalize(hash(b"out"), hash(b"oracle"), hash(b"receipts"))
        .unwrap();
    assert_eq!(s.state, SessionState::Finalized);
    s.validate().unwrap();
    assert_eq!(Session::decode(&s.encode()).unwrap(), s);
    assert!(s.add_step(compute(), tx, Id::ZERO).is_err());
    assert!(s.fail("late").is_err());
}

#[test]
fn failure_marks_the_current_step() {
    let mut s = session();
    s.add_step(read(), s.tx_id, Id::ZERO).unwrap();
    s.start().unwrap();
    s.begin_step().unwrap();
    let long = "é".repeat(MAX_ERROR_LEN);
    s.fail(&long).unwrap();
    assert_eq!(s.state, SessionState::Failed);
    assert_eq!(s.steps[0].state, StepState::Failed);
    let err = s.error.as_deref().unwrap();
    assert!(err.len() <= MAX_ERROR_LEN && err.chars().all(|c| c == 'é'));
    s.validate().unwrap();
    assert_eq!(Session::decode(&s.encode()).unwrap(), s);
}

#[test]
fn validate_rejects_inconsistent_sessions() {
    let base = {
        let mut s = session();
        s.add_step(read(), s.tx_id, Id::ZERO).unwrap();
        s
    };
    // The ID is not encoded (decode recomputes it), so only validate sees this.
    let mut s = base.clone();
    s.id = Id::ZERO;
    assert!(s.validate().is_err());
    assert_eq!(Session::decode(&s.encode()).unwrap(), base);

    let mut cases: Vec<Session> = Vec::new();
    let mut s = base.clone();
    s.committee.push(s.committee[0]);
    cases.push(s);
    let mut s = base.clone();
    s.current_step = 2;
    cases.push(s);
    let mut s = base.clone();
    s.steps[0].index = 1;
    cases.push(s);
    let mut s = base.clone();
    s.steps[0].request_id = Some(Id::ZERO);
    cases.push(s);
    let mut s = base.clone();
    s.steps[0].state = StepState::Completed;
    cases.push(s);
    let mut s = base.clone();
    s.state = SessionState::WaitingIo;
    cases.push(s);
    let mut s = base.clone();
    s.output_hash = Some(Id::ZERO);
    cases.push(s);
    let mut s = base.clone();
    s.error = Some("x".into());
    cases.push(s);
    for (i, s) in cases.iter().enumerate() {
        assert!(s.validate().is_err(), "case {i}");
        // The codec refuses to produce them on decode.
        assert!(Session::decode(&s.encode()).is_err(), "case {i}");
    }
    base.validate().unwrap();
}

#[test]
fn too_many_steps() {
    let mut s = session();
    for _ in 0..MAX_STEPS {
        s.add_step(compute(), s.tx_id, Id::ZERO).unwrap();
    }
    assert!(s.add_step(compute(), s.tx_id, Id::ZERO).is_err());
    assert_eq!(Session::decode(&s.encode()).unwrap(), s);
}
