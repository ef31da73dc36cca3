"""The audit log is hash-chained: tampering is detected at the event it touches."""

from platform_core.audit.models import AuditEvent
from platform_core.audit.services import audit_record, audit_verify_chain


def test_chain_intact_then_tampering_detected(people):
    for i in range(3):
        audit_record(actor=people.admin, action="test.touch", target_type="thing", target_id=i,
                     before={"n": i}, after={"n": i + 1})
    assert audit_verify_chain() == (True, None)
    event = AuditEvent.objects.filter(action="test.touch").order_by("seq")[1]
    AuditEvent.objects.filter(pk=event.pk).update(after={"n": 999})
    assert audit_verify_chain() == (False, event.seq)


def test_deleting_an_event_breaks_the_chain(people):
    audit_record(actor=None, action="test.a", target_type="thing", target_id=1)
    victim = audit_record(actor=None, action="test.b", target_type="thing", target_id=2)
    audit_record(actor=None, action="test.c", target_type="thing", target_id=3)
    AuditEvent.objects.filter(pk=victim.pk).delete()
    intact, seq = audit_verify_chain()
    assert not intact and seq == victim.seq + 1


def test_sequence_is_gapless(people):
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
