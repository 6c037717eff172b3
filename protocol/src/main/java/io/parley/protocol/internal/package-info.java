/** Internal to Parley: JSON plumbing behind the protocol API. Not for application use. */
package io.parley.protocol.internal;
