// Names omc gives: the leader's mailbox identity.
export const OMC_LEADER = 'leader-fixed';
