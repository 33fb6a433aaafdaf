// SPDX-License-Identifier: GPL-2.0
/*
 * Telnet decoder, escaping and option negotiation for the RFC 2217 server.
 * See telnet.h for the contract; this file holds no state of its own.
 */
#include "telnet.h"

enum {
	DEC_DATA,	/* serial data */
	DEC_IAC,	/* after IAC */
	DEC_OPTION,	/* after IAC DO/DONT/WILL/WONT */
	DEC_SB,		/* inside IAC SB ... */
	DEC_SB_IAC,	/* after IAC inside SB */
};

void pb_telnet_dec_init(struct pb_telnet_dec *d)
{
	d->state = DEC_DATA;
	d->verb = 0;
	d->sb_error = PB_TELNET_ERR_NONE;
	d->sb_len = 0;
	d->errors = 0;
}

/*
 * A data span starting at in[0], which is data whatever its value (the
 * second IAC of a pair), and running to the next IAC or to room bytes.
 */
static size_t data_span(const u8 *in, size_t len, size_t room,
			struct pb_telnet_item *it)
{
	size_t max = len < room ? len : room;
	size_t n = 1;

	while (n < max && in[n] != PB_TN_IAC)
		n++;
	it->type = PB_TELNET_DATA;
	it->data = in;
	it->len = n;
	return n;
}

static void set_error(struct pb_telnet_dec *d, struct pb_telnet_item *it,
		      enum pb_telnet_error error)
{
	d->errors++;
	it->type = PB_TELNET_ERROR;
	it->error = error;
}

static void sb_put(struct pb_telnet_dec *d, u8 c)
{
	if (d->sb_len < PB_TELNET_SB_MAX)
		d->sb[d->sb_len++] = c;
	else if (d->sb_error == PB_TELNET_ERR_NONE)
		d->sb_error = PB_TELNET_ERR_SB_OVERFLOW;
}

/* IAC SE: hand out the subnegotiation, or say why it was dropped. */
static void sb_end(struct pb_telnet_dec *d, struct pb_telnet_item *it)
{
	d->state = DEC_DATA;
	if (d->sb_error != PB_TELNET_ERR_NONE) {
		set_error(d, it, d->sb_error);
	} else if (d->sb_len == 0) {
		set_error(d, it, PB_TELNET_ERR_SB_EMPTY);
	} else {
		it->type = PB_TELNET_SUBNEG;
		it->option = d->sb[0];
		it->data = d->sb + 1;
		it->len = d->sb_len - 1;
	}
}

/* The byte after IAC outside a subnegotiation, other than IAC. */
static void after_iac(struct pb_telnet_dec *d, u8 c,
		      struct pb_telnet_item *it)
{
	d->state = DEC_DATA;
	switch (c) {
	case PB_TN_SB:
		d->state = DEC_SB;
		d->sb_len = 0;
		d->sb_error = PB_TELNET_ERR_NONE;
		break;
	case PB_TN_WILL:
	case PB_TN_WONT:
	case PB_TN_DO:
	case PB_TN_DONT:
		d->state = DEC_OPTION;
		d->verb = c;
		break;
	case PB_TN_SE:
		set_error(d, it, PB_TELNET_ERR_STRAY_SE);
		break;
	default:
		if (c < PB_TN_SE) {
			set_error(d, it, PB_TELNET_ERR_COMMAND);
		} else {
			it->type = PB_TELNET_COMMAND;
			it->cmd = c;
		}
		break;
	}
}

size_t pb_telnet_decode(struct pb_telnet_dec *d, const u8 *in, size_t len,
			size_t room, struct pb_telnet_item *it)
{
	size_t i = 0;

	it->type = PB_TELNET_NONE;
	it->error = PB_TELNET_ERR_NONE;
	it->cmd = 0;
	it->option = 0;
	it->data = NULL;
	it->len = 0;
	while (i < len && it->type == PB_TELNET_NONE) {
		u8 c = in[i];

		switch (d->state) {
		case DEC_DATA:
			if (c == PB_TN_IAC) {
				d->state = DEC_IAC;
				i++;
				break;
			}
			if (!room)
				return i;
			return i + data_span(in + i, len - i, room, it);
		case DEC_IAC:
			if (c == PB_TN_IAC) {
				/* IAC IAC: the second one is data */
				if (!room)
					return i;
				d->state = DEC_DATA;
				return i + data_span(in + i, len - i, room, it);
			}
			after_iac(d, c, it);
			i++;
			break;
		case DEC_OPTION:
			d->state = DEC_DATA;
			it->type = PB_TELNET_OPTION;
			it->cmd = d->verb;
			it->option = c;
			i++;
			break;
		case DEC_SB:
			if (c == PB_TN_IAC)
				d->state = DEC_SB_IAC;
			else
				sb_put(d, c);
			i++;
			break;
		default: /* DEC_SB_IAC */
			d->state = DEC_SB;
			if (c == PB_TN_SE)
				sb_end(d, it);
			else if (c == PB_TN_IAC)
				sb_put(d, c);
			else if (d->sb_error == PB_TELNET_ERR_NONE)
				d->sb_error = PB_TELNET_ERR_SB_IAC;
			i++;
			break;
		}
	}
	return i;
}

size_t pb_telnet_plain_len(const u8 *in, size_t len)
{
	size_t n = 0;

	while (n < len && in[n] != PB_TN_IAC)
		n++;
	return n;
}

size_t pb_telnet_escaped_len(const u8 *in, size_t len)
{
	size_t i, n = len;

	for (i = 0; i < len; i++)
		if (in[i] == PB_TN_IAC)
			n++;
	return n;
}

size_t pb_telnet_escape(u8 *out, size_t size, const u8 *in, size_t len,
			size_t *consumed)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == PB_TN_IAC) {
			if (size - o < 2)
				break;
			out[o++] = PB_TN_IAC;
		} else if (o == size) {
			break;
		}
		out[o++] = in[i];
	}
	*consumed = i;
	return o;
}

size_t pb_telnet_option(u8 *out, size_t size, u8 verb, u8 option)
{
	if (size < 3)
		return 0;
	out[0] = PB_TN_IAC;
	out[1] = verb;
	out[2] = option;
	return 3;
}

size_t pb_telnet_subneg(u8 *out, size_t size, u8 option, const u8 *value,
			size_t len)
{
	size_t need = 4 + (option == PB_TN_IAC ? 2 : 1) +
		      pb_telnet_escaped_len(value, len);
	size_t o = 0, used;

	if (need > size)
		return 0;
	out[o++] = PB_TN_IAC;
	out[o++] = PB_TN_SB;
	o += pb_telnet_escape(out + o, size - o, &option, 1, &used);
	o += pb_telnet_escape(out + o, size - o, value, len, &used);
	out[o++] = PB_TN_IAC;
	out[o++] = PB_TN_SE;
	return o;
}

/* ---- RFC 1143, the Q method ---- */

enum {
	Q_NO,
	Q_YES,
	Q_WANTNO,
	Q_WANTYES,
	Q_STATE = 0x03,
	Q_OPPOSITE = 0x04,	/* the queue bit */
};

/* What the server wants and accepts, per option. */
static const struct pb_telnet_policy {
	u8 option;
	bool want_us;
	bool want_him;
} policy[PB_TELNET_NEG_OPTIONS] = {
	{ PB_TN_OPT_BINARY, true, true },
	{ PB_TN_OPT_SGA, true, false },
	{ PB_TN_OPT_COM_PORT, false, false },
};

static int policy_index(u8 option)
{
	unsigned int i;

	for (i = 0; i < PB_NELEMS(policy); i++)
		if (policy[i].option == option)
			return i;
	return -1;
}

/*
 * The verbs of one side: "yes" and "no" are what we send to turn the
 * option on or off (DO/DONT for the client's side, WILL/WONT for ours).
 */
struct side {
	u8 *q;
	u8 yes;
	u8 no;
};

static struct side side_of(struct pb_telnet_neg *n, int idx, bool local)
{
	struct side s;

	if (local) {
		s.q = &n->us[idx];
		s.yes = PB_TN_WILL;
		s.no = PB_TN_WONT;
	} else {
		s.q = &n->him[idx];
		s.yes = PB_TN_DO;
		s.no = PB_TN_DONT;
	}
	return s;
}

static size_t send_verb(u8 *out, u8 verb, u8 option)
{
	return pb_telnet_option(out, PB_TELNET_NEG_REPLY_MAX, verb, option);
}

/*
 * WILL (for him) or DO (for us) arrived; every supported option is
 * accepted on both sides.
 */
static size_t recv_yes(struct side s, u8 option, u8 *out)
{
	bool opposite = *s.q & Q_OPPOSITE;

	switch (*s.q & Q_STATE) {
	case Q_NO:
		*s.q = Q_YES;
		return send_verb(out, s.yes, option);
	case Q_WANTNO:
		/*
		 * Without a queued request, our "no" was answered by "yes":
		 * RFC 1143 gives up on the option.
		 */
		*s.q = opposite ? Q_YES : Q_NO;
		return 0;
	case Q_WANTYES:
		if (opposite) {
			*s.q = Q_WANTNO;
			return send_verb(out, s.no, option);
		}
		*s.q = Q_YES;
		return 0;
	default: /* Q_YES */
		return 0;
	}
}

/* WONT (for him) or DONT (for us) arrived. */
static size_t recv_no(struct side s, u8 option, u8 *out)
{
	bool opposite = *s.q & Q_OPPOSITE;

	switch (*s.q & Q_STATE) {
	case Q_YES:
		*s.q = Q_NO;
		return send_verb(out, s.no, option);
	case Q_WANTNO:
		if (opposite) {
			*s.q = Q_WANTYES;
			return send_verb(out, s.yes, option);
		}
		*s.q = Q_NO;
		return 0;
	case Q_WANTYES:
		*s.q = Q_NO;
		return 0;
	default: /* Q_NO */
		return 0;
	}
}

size_t pb_telnet_neg_receive(struct pb_telnet_neg *n, u8 verb, u8 option,
			     u8 *out)
{
	int idx = policy_index(option);
	bool local = verb == PB_TN_DO || verb == PB_TN_DONT;
	bool yes = verb == PB_TN_DO || verb == PB_TN_WILL;

	if (verb < PB_TN_WILL || verb > PB_TN_DONT)
		return 0;
	if (idx < 0) {
		/* unsupported: refuse "yes", and "no" is what we have */
		if (!yes)
			return 0;
		return send_verb(out, local ? PB_TN_WONT : PB_TN_DONT, option);
	}
	if (yes)
		return recv_yes(side_of(n, idx, local), option, out);
	return recv_no(side_of(n, idx, local), option, out);
}

size_t pb_telnet_neg_ask(struct pb_telnet_neg *n, bool local, u8 option,
			 bool enable, u8 *out)
{
	int idx = policy_index(option);
	struct side s;
	u8 state;

	if (idx < 0)
		return 0;
	s = side_of(n, idx, local);
	state = *s.q & Q_STATE;
	switch (state) {
	case Q_NO:
		if (!enable)
			return 0;
		*s.q = Q_WANTYES;
		return send_verb(out, s.yes, option);
	case Q_YES:
		if (enable)
			return 0;
		*s.q = Q_WANTNO;
		return send_verb(out, s.no, option);
	default:
		/* a request is in flight: queue the opposite or cancel it */
		if ((state == Q_WANTNO) == enable)
			*s.q = state | Q_OPPOSITE;
		else
			*s.q = state;
		return 0;
	}
}

size_t pb_telnet_neg_start(struct pb_telnet_neg *n, u8 *out)
{
	size_t o = 0;
	unsigned int i;

	for (i = 0; i < PB_NELEMS(policy); i++) {
		n->us[i] = Q_NO;
		n->him[i] = Q_NO;
	}
	for (i = 0; i < PB_NELEMS(policy); i++) {
		if (policy[i].want_us)
			o += pb_telnet_neg_ask(n, true, policy[i].option, true,
					       out + o);
		if (policy[i].want_him)
			o += pb_telnet_neg_ask(n, false, policy[i].option,
					       true, out + o);
	}
	return o;
}

bool pb_telnet_neg_local(const struct pb_telnet_neg *n, u8 option)
{
	int idx = policy_index(option);

	return idx >= 0 && (n->us[idx] & Q_STATE) == Q_YES;
}

bool pb_telnet_neg_remote(const struct pb_telnet_neg *n, u8 option)
{
	int idx = policy_index(option);

	return idx >= 0 && (n->him[idx] & Q_STATE) == Q_YES;
}
