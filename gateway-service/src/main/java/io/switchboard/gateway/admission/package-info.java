/**
 * Who may connect to this gateway and how fast they may send, in one place: the refusals of a
 * handshake or a CONNECT, and {@code RATE_LIMITED} and the abuse disconnect of requests.
 *
 * <ul>
 *   <li>{@link io.switchboard.gateway.admission.Admission}: sessions at the Engine.IO handshake
 *       (capacity, per address), and the node's own CONNECT checks (draining, throttled address,
 *       tenant limit);
 *   <li>{@link io.switchboard.gateway.admission.RefusedConnects}: refused CONNECTs per address, for
 *       the throttle and the audit log;
 *   <li>{@link io.switchboard.gateway.admission.DeviceLimit}: the user's devices across the cluster,
 *       asked of presence-service, failing open;
 *   <li>{@link io.switchboard.gateway.admission.ConnectAdmission}: a CONNECT's checks in order, and
 *       the CONNECT_ERROR a refusal gets;
 *   <li>{@link io.switchboard.gateway.admission.RateLimiter} with
 *       {@link io.switchboard.gateway.admission.TokenBucket}: requests per socket and user by
 *       {@link io.switchboard.gateway.admission.RateClass}, and when a flooding socket is abusive.
 * </ul>
 *
 * <p>The classes decide; the chat namespace and the Socket.IO server act on their answers.
 */
package io.switchboard.gateway.admission;
