// What the Power ISA (2.06) says about words beyond their opcode bits, for
// judging words that binutils rejects but our decoder accepts.
//
// Our decoder matches opcode bits only. binutils also rejects (prints as
// `.long`) a word that sets a reserved bit, and one whose operands make an
// invalid instruction form (Book I 1.8.2: e.g. lwzu with RA=0). Neither is a
// different instruction: the ISA has the processor ignore reserved bits, and
// an invalid form is for the instruction's body to refuse when it executes
// (exec_mem.cc does so for update forms), not for the decoder. The binutils
// test counts these words instead of failing on them.
#pragma once

#include <cstdint>
#include <string_view>

namespace dusim::ppc::test {

// The `-M` / `.machine` CPU under which binutils knows this instruction:
// power7, unless binutils files it under a later CPU or retired it.
const char* binutils_cpu(std::string_view mnemonic);

// The reserved bits ("/" fields, and the "z" bits of BO) of this word when
// read as `mnemonic`; they must be 0 in a well-formed word.
uint32_t reserved_bits(std::string_view mnemonic, uint32_t raw);

// The name of the invalid-form rule this word breaks as `mnemonic`, or
// nullptr. Each rule is written out in isa_rules.cc with its source.
const char* invalid_form(std::string_view mnemonic, uint32_t raw);

}  // namespace dusim::ppc::test
