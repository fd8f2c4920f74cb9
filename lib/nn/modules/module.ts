// torch.nn.modules.module
export { Module } from '../module';
