// mask.h: attention masks as boolean n_q × n_k matrices, true = blocked (the query may not see that key).
#pragma once
#include "mat.h"
#include "settings.h"

namespace attn {

BoolMat no_mask(int n_q, int n_k);
BoolMat causal_mask(int n);                                   // blocks j > i: no peeking at later tokens
BoolMat padding_mask(int n_q, const std::vector<uint8_t>& key_is_pad);  // blocks every <pad> key column
BoolMat fit_custom_mask(const BoolMat& custom, int n);        // crop or extend (unblocked) to n × n
// The encoder's self-attention mask for the chosen MaskKind.
BoolMat make_mask(const Settings& s, int n, const std::vector<uint8_t>& key_is_pad);

}  // namespace attn
