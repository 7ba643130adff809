import { InputError } from '../declaration/errors.js';

/** Bad input to the ECS stage (unknown environment, environment with no services, a task too big for Fargate): exit 2. */
export class EcsInputError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'EcsInputError';
  }
}
