package io.switchboard.loadtest.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Failover accounting: missed, duplicate and unacked messages")
class FailoverLedgerTest {
  private FailoverLedger ledger;

  /** Room 0 with sockets 0, 1 and 2, all joined at seq 0. */
  @BeforeEach
  void room() {
    ledger = new FailoverLedger();
    ledger.member(0, 0, 0);
    ledger.member(1, 0, 0);
    ledger.member(2, 0, 0);
  }

  /** Socket {@code sender} sends {@code id}, acked as {@code seq}. */
  private void stored(String id, int sender, long seq) {
    ledger.sent(id, 0, sender);
    assertTrue(ledger.acked(id, seq));
  }

  @Test
  @DisplayName("a message every other member received live is delivered, not missed")
  void deliveredLive() {
    stored("m1", 0, 1);
    ledger.received(1, 1);
    ledger.received(2, 1);
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(1, s.acked());
    assertEquals(2, s.expectedDeliveries());
    assertEquals(2, s.delivered());
    assertEquals(0, s.missed());
    assertEquals(0, s.duplicates());
  }

  @Test
  @DisplayName("an acked message a member never held is missed, and named")
  void missed() {
    stored("m1", 0, 1);
    stored("m2", 0, 2);
    ledger.received(1, 1);
    ledger.received(1, 2);
    ledger.received(2, 1);
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(1, s.missed());
    assertEquals(1, ledger.missing());
    assertEquals(List.of("room 0 seq 2 from socket 0 not at socket 2"), s.missedSamples());
  }

  @Test
  @DisplayName("sinceSeq is the highest seq held with every lower one held, not the highest seen")
  void sinceSeqStopsAtTheFirstGap() {
    stored("m1", 0, 1);
    stored("m2", 1, 2);
    stored("m3", 0, 3);
    ledger.received(2, 1);
    ledger.received(2, 3);
    assertEquals(1, ledger.sinceSeq(2));
    // The member's own messages count as held: socket 1 sent seq 2.
    ledger.received(1, 1);
    assertEquals(2, ledger.sinceSeq(1));
    ledger.received(2, 2);
    assertEquals(3, ledger.sinceSeq(2));
  }

  @Test
  @DisplayName("a message recovered with sinceSeq after the drop is delivered; received twice it is a duplicate")
  void recoveredAndDuplicate() {
    stored("m1", 0, 1);
    stored("m2", 0, 2);
    ledger.received(1, 1);
    // Socket 1 dropped before seq 2 arrived; its rejoin asks from 1 and gets 2.
    assertEquals(1, ledger.sinceSeq(1));
    assertTrue(ledger.received(1, 2));
    ledger.received(2, 1);
    ledger.received(2, 2);
    // Socket 2 got seq 2 live and again in its recovery.
    assertFalse(ledger.received(2, 2));
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(0, s.missed());
    assertEquals(4, s.delivered());
    assertEquals(1, s.duplicates());
  }

  @Test
  @DisplayName("a sender's own message coming back in its recovery is not a duplicate")
  void ownMessageIsNotADuplicate() {
    stored("m1", 0, 1);
    ledger.received(0, 1);
    ledger.received(1, 1);
    ledger.received(2, 1);
    assertEquals(0, ledger.summary().duplicates());
  }

  @Test
  @DisplayName("a send never acked is unacked, not missed, even if stored and seen by some")
  void unacked() {
    ledger.sent("lost", 0, 0);
    ledger.received(1, 1);
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(1, s.unacked());
    assertEquals(0, s.missed());
    assertEquals(1, s.storedUnacked());
  }

  @Test
  @DisplayName("a re-send with the same clientMsgId acked with the first seq is one message")
  void resendIsOneMessage() {
    stored("m1", 0, 1);
    assertTrue(ledger.acked("m1", 1), "the duplicate ack of the re-send");
    ledger.received(1, 1);
    ledger.received(2, 1);
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(1, s.sent());
    assertEquals(1, s.acked());
    assertEquals(0, s.missed());
    assertEquals(0, s.seqConflicts());
  }

  @Test
  @DisplayName("a re-send stored under another seq, or two messages under one seq, is a conflict")
  void seqConflicts() {
    stored("m1", 0, 1);
    assertFalse(ledger.acked("m1", 2));
    ledger.sent("m2", 0, 1);
    assertFalse(ledger.acked("m2", 1));
    assertEquals(2, ledger.summary().seqConflicts());
  }

  @Test
  @DisplayName("deliveries due to a member that never came back are unreachable, not missed")
  void lostMember() {
    stored("m1", 0, 1);
    ledger.received(1, 1);
    ledger.lost(2);
    FailoverLedger.Summary s = ledger.summary();
    assertEquals(0, s.missed());
    assertEquals(1, s.expectedDeliveries());
    assertEquals(1, s.unreachable());
  }

  @Test
  @DisplayName("messages up to a member's join are not expected of it")
  void baseline() {
    ledger.member(3, 0, 2);
    stored("m1", 0, 1);
    stored("m2", 0, 2);
    stored("m3", 0, 3);
    ledger.received(3, 3);
    assertEquals(3, ledger.sinceSeq(3));
    FailoverLedger.Summary s = ledger.summary();
    // Sockets 1 and 2 miss all three, socket 3 only those after its join: none.
    assertEquals(6, s.missed());
  }
}
