// SPDX-License-Identifier: GPL-2.0
/*
 * RFC 2217 COM-PORT-OPTION: the client's commands in, the access server's
 * answers and notifications out.  See rfc2217.h.
 */
#include "rfc2217.h"
#include "telnet.h"

/* Cisco IOS sends SET-BAUDRATE as one byte: these indexes. */
static const struct {
	u8 index;
	u32 baud;
} cisco_rates[] = {
	{ 3, 300 }, { 4, 600 }, { 5, 1200 }, { 6, 2400 }, { 7, 4800 },
	{ 8, 9600 }, { 10, 19200 }, { 12, 38400 }, { 13, 57600 },
	{ 14, 115200 }, { 15, 230400 },
};

u32 pb_rfc2217_cisco_to_baud(u8 index)
{
	unsigned int i;

	for (i = 0; i < PB_NELEMS(cisco_rates); i++)
		if (cisco_rates[i].index == index)
			return cisco_rates[i].baud;
	return 0;
}

u8 pb_rfc2217_baud_to_cisco(u32 baud)
{
	unsigned int i;

	for (i = 0; i < PB_NELEMS(cisco_rates); i++)
		if (cisco_rates[i].baud == baud)
			return cisco_rates[i].index;
	return 0;
}

static enum pb_rfc2217_error parse_baud(const u8 *v, size_t len,
					struct pb_rfc2217_cmd *cmd)
{
	if (len == 4) {
		cmd->baud = (u32)v[0] << 24 | (u32)v[1] << 16 |
			    (u32)v[2] << 8 | v[3];
		return PB_RFC2217_OK;
	}
	if (len != 1)
		return PB_RFC2217_ERR_LENGTH;
	cmd->cisco = true;
	if (v[0] == 0)
		return PB_RFC2217_OK;	/* a query */
	cmd->baud = pb_rfc2217_cisco_to_baud(v[0]);
	return cmd->baud ? PB_RFC2217_OK : PB_RFC2217_ERR_VALUE;
}

/* Highest valid one-byte value per command; 0 means "any byte". */
static u8 value_max(u8 code)
{
	switch (code) {
	case PB_RFC2217_SET_DATASIZE:
		return 8;
	case PB_RFC2217_SET_PARITY:
		return PB_RFC2217_PARITY_SPACE;
	case PB_RFC2217_SET_STOPSIZE:
		return PB_RFC2217_STOPSIZE_1_5;
	case PB_RFC2217_SET_CONTROL:
		return PB_RFC2217_CTL_FLOW_DSR;
	case PB_RFC2217_PURGE_DATA:
		return PB_RFC2217_PURGE_BOTH;
	default:
		return 0;
	}
}

static enum pb_rfc2217_error check_value(u8 code, u8 value)
{
	u8 max = value_max(code);

	if (code == PB_RFC2217_PURGE_DATA && value == 0)
		return PB_RFC2217_ERR_VALUE;
	/* 1..4 data bits do not exist; 0 is the query */
	if (code == PB_RFC2217_SET_DATASIZE && value > 0 && value < 5)
		return PB_RFC2217_ERR_VALUE;
	if (max && value > max)
		return PB_RFC2217_ERR_VALUE;
	return PB_RFC2217_OK;
}

enum pb_rfc2217_error pb_rfc2217_parse(const u8 *value, size_t len,
				       struct pb_rfc2217_cmd *cmd)
{
	const u8 *v;
	size_t vlen;

	cmd->code = 0;
	cmd->value = 0;
	cmd->cisco = false;
	cmd->baud = 0;
	cmd->text = NULL;
	cmd->text_len = 0;
	if (len == 0)
		return PB_RFC2217_ERR_EMPTY;
	cmd->code = value[0];
	v = value + 1;
	vlen = len - 1;
	switch (cmd->code) {
	case PB_RFC2217_SIGNATURE:
		cmd->text = v;
		cmd->text_len = vlen;
		return PB_RFC2217_OK;
	case PB_RFC2217_SET_BAUDRATE:
		return parse_baud(v, vlen, cmd);
	case PB_RFC2217_NOTIFY_LINESTATE:
	case PB_RFC2217_NOTIFY_MODEMSTATE:
		/* polls; RFC 2217 gives them no value, some send one */
		if (vlen > 1)
			return PB_RFC2217_ERR_LENGTH;
		return PB_RFC2217_OK;
	case PB_RFC2217_FLOWCONTROL_SUSPEND:
	case PB_RFC2217_FLOWCONTROL_RESUME:
		return vlen ? PB_RFC2217_ERR_LENGTH : PB_RFC2217_OK;
	case PB_RFC2217_SET_DATASIZE:
	case PB_RFC2217_SET_PARITY:
	case PB_RFC2217_SET_STOPSIZE:
	case PB_RFC2217_SET_CONTROL:
	case PB_RFC2217_SET_LINESTATE_MASK:
	case PB_RFC2217_SET_MODEMSTATE_MASK:
	case PB_RFC2217_PURGE_DATA:
		if (vlen != 1)
			return PB_RFC2217_ERR_LENGTH;
		cmd->value = v[0];
		return check_value(cmd->code, cmd->value);
	default:
		if (cmd->code >= PB_RFC2217_SERVER &&
		    cmd->code <= PB_RFC2217_SERVER + PB_RFC2217_PURGE_DATA)
			return PB_RFC2217_ERR_DIRECTION;
		return PB_RFC2217_ERR_UNKNOWN;
	}
}

const char *pb_rfc2217_strerror(enum pb_rfc2217_error err)
{
	switch (err) {
	case PB_RFC2217_OK:
		return "ok";
	case PB_RFC2217_ERR_EMPTY:
		return "empty COM-PORT-OPTION";
	case PB_RFC2217_ERR_UNKNOWN:
		return "unknown COM-PORT-OPTION command";
	case PB_RFC2217_ERR_DIRECTION:
		return "server command from the client";
	case PB_RFC2217_ERR_LENGTH:
		return "wrong COM-PORT-OPTION value length";
	case PB_RFC2217_ERR_VALUE:
		return "COM-PORT-OPTION value out of range";
	}
	return "unknown error";
}

size_t pb_rfc2217_encode(u8 *out, size_t size, u8 code, const u8 *value,
			 size_t len)
{
	size_t o = 0, used;

	if (5 + pb_telnet_escaped_len(&code, 1) +
	    pb_telnet_escaped_len(value, len) > size)
		return 0;
	out[o++] = PB_TN_IAC;
	out[o++] = PB_TN_SB;
	out[o++] = PB_TN_OPT_COM_PORT;
	o += pb_telnet_escape(out + o, size - o, &code, 1, &used);
	o += pb_telnet_escape(out + o, size - o, value, len, &used);
	out[o++] = PB_TN_IAC;
	out[o++] = PB_TN_SE;
	return o;
}

size_t pb_rfc2217_reply_baud(u8 *out, size_t size, u32 baud, bool cisco)
{
	u8 v[4];

	if (cisco) {
		v[0] = pb_rfc2217_baud_to_cisco(baud);
		return pb_rfc2217_encode(out, size, PB_RFC2217_SERVER +
					 PB_RFC2217_SET_BAUDRATE, v, 1);
	}
	v[0] = baud >> 24;
	v[1] = baud >> 16;
	v[2] = baud >> 8;
	v[3] = baud;
	return pb_rfc2217_encode(out, size, PB_RFC2217_SERVER +
				 PB_RFC2217_SET_BAUDRATE, v, 4);
}

size_t pb_rfc2217_reply_value(u8 *out, size_t size, u8 code, u8 value)
{
	return pb_rfc2217_encode(out, size, PB_RFC2217_SERVER + code, &value,
				 1);
}

size_t pb_rfc2217_reply_signature(u8 *out, size_t size, const u8 *text,
				  size_t len)
{
	return pb_rfc2217_encode(out, size, PB_RFC2217_SERVER +
				 PB_RFC2217_SIGNATURE, text, len);
}

size_t pb_rfc2217_notify_linestate(u8 *out, size_t size, u8 state)
{
	return pb_rfc2217_reply_value(out, size, PB_RFC2217_NOTIFY_LINESTATE,
				      state);
}

size_t pb_rfc2217_notify_modemstate(u8 *out, size_t size, u8 state)
{
	return pb_rfc2217_reply_value(out, size, PB_RFC2217_NOTIFY_MODEMSTATE,
				      state);
}

size_t pb_rfc2217_flowcontrol(u8 *out, size_t size, bool suspend)
{
	u8 code = PB_RFC2217_SERVER + (suspend ?
				       PB_RFC2217_FLOWCONTROL_SUSPEND :
				       PB_RFC2217_FLOWCONTROL_RESUME);

	return pb_rfc2217_encode(out, size, code, NULL, 0);
}

u8 pb_rfc2217_modemstate(u8 now, u8 before)
{
	u8 changed = (now ^ before) & 0xf0;
	u8 state = now & 0xf0;

	if (changed & PB_RFC2217_MODEM_CD)
		state |= PB_RFC2217_MODEM_CD_DELTA;
	if ((changed & PB_RFC2217_MODEM_RI) && !(now & PB_RFC2217_MODEM_RI))
		state |= PB_RFC2217_MODEM_RI_TRAIL;
	if (changed & PB_RFC2217_MODEM_DSR)
		state |= PB_RFC2217_MODEM_DSR_DELTA;
	if (changed & PB_RFC2217_MODEM_CTS)
		state |= PB_RFC2217_MODEM_CTS_DELTA;
	return state;
}
