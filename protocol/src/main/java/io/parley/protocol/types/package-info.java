/** The params and result records of the contract's methods and notifications. */
package io.parley.protocol.types;
